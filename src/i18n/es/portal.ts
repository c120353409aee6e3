export const portal = {
  title: "Mis tickets",
  empty: "Todavía no ha enviado ningún ticket.",
  create: "Agregar ticket",
} as const;
