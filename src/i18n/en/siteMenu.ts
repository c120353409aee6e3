import type { Messages } from "../index";

export const siteMenu: Messages["siteMenu"] = { menu: "Menu", closeMenu: "Close menu", main: "Main menu", skipToContent: "Skip to content" };
