// The agent's ticket page shortcuts (components/ticket/TicketShortcuts.tsx).
export const ticketKeys = {
  reply: "Escribir una respuesta al cliente",
  note: "Escribir una nota interna",
  assignMe: "Asignarme el ticket",
  queue: "Volver a la cola",
  help: "Mostrar esta ayuda",
  button: "Atajos de teclado",
} as const;
