export const priority = { HIGH: "Alta", MEDIUM: "Media", LOW: "Baja" } as const;
