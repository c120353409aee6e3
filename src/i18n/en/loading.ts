import type { Messages } from "../index";

export const loading: Messages["loading"] = { page: "Loading the page…", ticket: "Loading the ticket…", list: "Loading the list…" };
