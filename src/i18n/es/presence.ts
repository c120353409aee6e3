export const presence = {
  viewing: "También viendo:",
  viewers: "Otros agentes en este ticket",
  alsoViewing: "También viendo: {name}",
  typingReply: "{name} está escribiendo una respuesta",
  typingNote: "{name} está escribiendo una nota interna",
} as const;
