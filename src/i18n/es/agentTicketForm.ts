export const agentTicketForm = {
  title: "Nuevo ticket telefónico",
  intro: "Registre una consulta recibida por teléfono; el ticket queda a nombre del cliente.",
  requesterEmail: "Correo del cliente",
  submit: "Crear ticket",
  sending: "Creando…",
} as const;
