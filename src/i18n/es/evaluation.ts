// "¿Le ayudó esta respuesta?" (seeds 001 and 004): the mail's link (/evaluar/…) and the portal.
export const evaluation = {
  title: "Evaluar la atención",
  ticket: "Ticket #{number}: {subject}",
  question: "¿Le ayudó esta respuesta?",
  HELPFUL: "Sí me ayudó",
  NOT_HELPFUL: "No me ayudó",
  comment: "Comentario (opcional)",
  commentHelp: "Hasta {max} caracteres.",
  thanks: "¡Gracias por su evaluación!",
  current: "Su evaluación: {answer}",
  changeHint: "Puede cambiarla mientras el ticket esté resuelto o cerrado.",
  loading: "Cargando…",
  toPortal: "Ir al portal",
} as const;
