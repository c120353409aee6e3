export const ticketForm = {
  title: "Nuevo ticket",
  subject: "Asunto",
  description: "Descripción",
  priority: "Prioridad",
  category: "Categoría",
  noCategory: "Sin categoría",
  submit: "Enviar",
  sending: "Enviando…",
  requiredHint: "Los campos con * son obligatorios.",
} as const;
