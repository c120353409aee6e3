import type { Messages } from "../index";

export const channel: Messages["channel"] = { PORTAL: "Portal", EMAIL: "Email", PHONE: "Phone", GUEST: "Guest" };
