export const status = {
  OPEN: "Abierto",
  IN_PROGRESS: "Trabajando",
  WAITING_ON_CUSTOMER: "Esperando al cliente",
  RESOLVED: "Resuelto",
  CLOSED: "Cerrado",
  REJECTED: "Rechazado",
} as const;
