export const loading = { page: "Cargando la página…", ticket: "Cargando el ticket…", list: "Cargando la lista…" } as const;
