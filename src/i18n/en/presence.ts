import type { Messages } from "../index";

export const presence: Messages["presence"] = {
  viewing: "Also viewing:",
  viewers: "Other agents on this ticket",
  alsoViewing: "Also viewing: {name}",
  typingReply: "{name} is typing a reply",
  typingNote: "{name} is typing an internal note",
};
