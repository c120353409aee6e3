export const customFields = {
  title: "Campos personalizados",
  save: "Guardar campos",
  saved: "Campos guardados.",
  noValue: "Sin valor",
  yes: "Sí",
  no: "No",
} as const;
