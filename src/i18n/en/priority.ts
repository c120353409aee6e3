import type { Messages } from "../index";

export const priority: Messages["priority"] = { HIGH: "High", MEDIUM: "Medium", LOW: "Low" };
