export const app = { name: "Ventanilla", tagline: "Mesa de ayuda" } as const;
