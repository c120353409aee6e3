import type { Messages } from "../index";

export const newTicket: Messages["newTicket"] = {
  categoryLabel: "Category or reason",
  categoryHint: "Start by choosing what your request is about: we will ask for what we need for that case.",
  productLabel: "Product",
  productHint: "Type part of its name and pick it from the list.",
  productNone: "No product matches “{q}”.",
  productSearching: "Searching…",
  productClear: "Remove product",
  priorityHint: "How much does the problem affect your work?",
  priorityHelp: {
    HIGH: "It stops your work completely. Resolved within 24 hours.",
    MEDIUM: "It stops your work partially. Resolved within 48 hours.",
    LOW: "It does not stop your work. Resolved within 72 hours.",
  },
  continue: "Continue",
  confirmTitle: "Check your ticket before sending it",
  confirmIntro: "This is exactly what will be sent. You can still edit it.",
  edit: "Edit",
  send: "Send",
  sending: "Sending…",
  empty: "—",
  attachments: "Attachments",
  fixErrors: "Check the marked fields.",
};
