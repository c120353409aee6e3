import type { Messages } from "../index";

// "Did this answer help you?" (seeds 001 and 004): the mail's link (/evaluar/…) and the portal.
export const evaluation: Messages["evaluation"] = {
  title: "Rate our support",
  ticket: "Ticket #{number}: {subject}",
  question: "Did this answer help you?",
  HELPFUL: "Yes, it helped",
  NOT_HELPFUL: "No, it didn't help",
  comment: "Comment (optional)",
  commentHelp: "Up to {max} characters.",
  thanks: "Thank you for your rating!",
  current: "Your rating: {answer}",
  changeHint: "You can change it while the ticket is resolved or closed.",
  loading: "Loading…",
  toPortal: "Go to the portal",
};
