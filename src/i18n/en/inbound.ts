import type { Messages } from "../index";

export const inbound: Messages["inbound"] = {
  title: "Incoming mail",
  empty: "No mail with that status.",
  filter: "Status",
  all: "All",
  from: "Sender",
  received: "Received",
  size: "Size",
  reason: "Reason",
  ticket: "Ticket",
  retry: "Retry",
  release: "Release",
  actions: "Actions",
  statuses: {
    RECEIVED: "Received",
    PROCESSED: "Processed",
    DUPLICATE: "Duplicate",
    IGNORED: "Ignored",
    HELD: "Held",
    UNPROCESSABLE: "Unprocessable",
  },
};
