import type { Messages } from "../index";

export const app: Messages["app"] = { name: "Ventanilla", tagline: "Help desk" };
