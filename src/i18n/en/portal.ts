import type { Messages } from "../index";

export const portal: Messages["portal"] = { title: "My tickets", empty: "You have not sent any ticket yet.", create: "Add ticket" };
