// What the domain announces after a transaction commits. The dispatcher in
// src/server/modules/dispatch.ts turns these into socket.io events and queued emails.
export type DomainEvent = TicketEvent | { type: "article.changed"; articleId: string } | NotificationsEvent | PeopleEvent;

/**
 * People (/admin/personas): a staff invitation's mail to send; a person whose sessions just ended
 * (deactivated), whose open sockets on every web process are disconnected.
 */
export type PeopleEvent = { type: "staff.invited"; userId: string; emailIds: string[] } | { type: "user.sessionsEnded"; userId: string };

/** Rows of agents' bells were stored (notifications/bell.ts): one per recipient. */
export interface NotificationsEvent {
  type: "notifications.created";
  ticketId: string;
  notifications: Array<{ id: string; userId: string }>;
}

/** Ticket events carry the ids of the mail staged with them, for the dispatcher to enqueue. */
export type TicketEvent =
  | { type: "ticket.created"; ticketId: string; number: number; requesterId: string; emailIds: string[] }
  | { type: "ticket.updated"; ticketId: string; number: number; requesterId: string; emailIds: string[] }
  | {
      type: "message.created";
      ticketId: string;
      number: number;
      requesterId: string;
      messageId: string;
      internal: boolean;
      emailIds: string[];
    }
  /** Staff to alert about a ticket (sla/alerts.ts): its SLA at risk or missed, or its escalation. */
  | { type: "staff.alerted"; ticketId: string; number: number; kind: StaffAlertKind; userIds: string[]; emailIds: string[] };

export type StaffAlertKind = "SLA_WARNING" | "SLA_BREACHED" | "ESCALATED";

export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
}

/** Records events instead of sending them: for tests and scripts that need no side effects. */
export function recordingBus(): EventBus & { events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  return {
    events,
    async publish(e) {
      events.push(e);
    },
  };
}
