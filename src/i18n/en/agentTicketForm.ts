import type { Messages } from "../index";

export const agentTicketForm: Messages["agentTicketForm"] = {
  title: "New phone ticket",
  intro: "Record a request received by phone; the ticket belongs to the customer.",
  requesterEmail: "Customer email",
  submit: "Create ticket",
  sending: "Creating…",
};
