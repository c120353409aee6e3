import type { Messages } from "../index";

export const ticketForm: Messages["ticketForm"] = {
  title: "New ticket",
  subject: "Subject",
  description: "Description",
  priority: "Priority",
  category: "Category",
  noCategory: "No category",
  submit: "Send",
  sending: "Sending…",
  requiredHint: "Fields marked * are required.",
};
