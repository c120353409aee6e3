import type { Messages } from "../index";

// The agent's ticket page shortcuts (components/ticket/TicketShortcuts.tsx).
export const ticketKeys: Messages["ticketKeys"] = {
  reply: "Write a reply to the customer",
  note: "Write an internal note",
  assignMe: "Assign the ticket to me",
  queue: "Back to the queue",
  help: "Show this help",
  button: "Keyboard shortcuts",
};
