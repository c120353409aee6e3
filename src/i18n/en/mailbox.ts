import type { Messages } from "../index";

export const mailbox: Messages["mailbox"] = {
  title: "Dev mailbox",
  empty: "No mail has been sent.",
  to: "To",
  subject: "Subject",
  sent: "Sent",
  status: "Status",
  statuses: { QUEUED: "Queued", SENT: "Sent", FAILED: "Failed", HELD: "Held" },
  loops: {
    alertsTitle: "Mail loop alerts",
    alertTicket: "Possible mail loop on ticket #{number}: the limit of {max} mails in {minutes} minutes was reached.",
    alertTo: "Possible mail loop with {to}: the limit of {max} mails in {minutes} minutes to that address was reached.",
    heldCount: "{count} mails held.",
    heldCountOne: "1 mail held.",
    dismiss: "Dismiss alert",
    heldTitle: "Held mail",
    heldHint: "These mails were not sent. Releasing one sends it once, without counting against the limit.",
    heldNone: "No mail is held.",
    reason: "Reason",
    reasons: { ticket: "Per-ticket limit", to: "Per-recipient limit" },
    ticket: "Ticket",
    created: "Created",
    actions: "Actions",
    release: "Release and send",
  },
};
