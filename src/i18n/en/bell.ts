import type { Messages } from "../index";

export const bell: Messages["bell"] = {
  title: "Notifications",
  label: "Notifications",
  labelUnread: "Notifications, {count} unread",
  empty: "You have no notifications.",
  markAll: "Mark all as read",
  unread: "Unread",
  kinds: {
    ASSIGNED: "{actor} assigned ticket #{number} to you",
    MENTIONED: "{actor} mentioned you in an internal note on ticket #{number}",
    SLA_WARNING: "Ticket #{number} is about to miss its SLA",
    SLA_BREACHED: "Ticket #{number} has missed its SLA",
    ESCALATED: "Ticket #{number} was escalated",
    TEAM_ASSIGNED: "{actor} handed ticket #{number} to your team",
    AGENT_REPLIED: "{actor} replied to your ticket #{number}",
    STATUS_CHANGED: "Your ticket #{number} is now “{status}”",
  },
  someone: "Someone",
  mentionHint: "In an internal note, type @ and an agent's name (or the part of their address before the @) to let them know.",
};
