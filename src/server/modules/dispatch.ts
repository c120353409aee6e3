import { rooms } from "~/shared/realtime";
import type { DomainEvent, EventBus, TicketEvent } from "./events";
import type { EnqueueEmails } from "./notifications/email-queue";
import type { EmitToRooms } from "./realtime/room-emitter";

export interface DispatchDeps {
  emit: EmitToRooms;
  enqueueEmails: EnqueueEmails;
  /** Keeps the knowledge-base search index in step with article changes (absent where unused). */
  enqueueKbIndex?: (articleIds: string[]) => Promise<void>;
  /**
   * Stores the requester's bell rows for an event (notifications/customer-bell.ts) and returns the
   * new ones, each then announced on its owner's room. Absent where unused (scripts, some tests).
   */
  notifyRequester?: (event: TicketEvent) => Promise<Array<{ id: string; userId: string }>>;
  /** Disconnects every open socket of the user, on every web process (absent where unused). */
  disconnectUser?: (userId: string) => void;
  onError?: (err: unknown, event: DomainEvent) => void;
}

/**
 * Turns committed domain events into live hints and queued mail. Neither may fail the user's
 * request: the change is already saved, and staged mail is re-enqueued by the outbox reconciler.
 */
export function createDispatcher(deps: DispatchDeps): EventBus {
  return {
    async publish(event) {
      if (event.type === "article.changed") {
        await deps.enqueueKbIndex?.([event.articleId]).catch((err: unknown) => deps.onError?.(err, event));
        return;
      }
      if (event.type === "staff.invited") {
        await deps.enqueueEmails(event.emailIds).catch((err: unknown) => deps.onError?.(err, event));
        return;
      }
      if (event.type === "user.sessionsEnded") {
        try {
          deps.disconnectUser?.(event.userId);
        } catch (err) {
          deps.onError?.(err, event);
        }
        return;
      }
      if (event.type === "notifications.created") {
        const at = Date.now();
        try {
          for (const n of event.notifications) deps.emit([rooms.user(n.userId)], "notification:created", { notificationId: n.id, ticketId: event.ticketId, at });
        } catch (err) {
          deps.onError?.(err, event);
        }
        return;
      }
      const at = Date.now();
      const hint = { ticketId: event.ticketId, number: event.number, at };
      try {
        switch (event.type) {
          case "ticket.created":
            deps.emit([rooms.queue, rooms.user(event.requesterId)], "ticket:created", hint);
            break;
          case "ticket.updated":
            deps.emit([rooms.queue, rooms.ticket(event.ticketId), rooms.user(event.requesterId)], "ticket:updated", hint);
            break;
          case "message.created": {
            const targets = event.internal
              ? [rooms.queue, rooms.ticketStaff(event.ticketId)]
              : [rooms.queue, rooms.ticket(event.ticketId), rooms.user(event.requesterId)];
            deps.emit(targets, "message:created", { ...hint, messageId: event.messageId });
            break;
          }
          case "staff.alerted":
            // Staff only: the queue highlights the ticket and its page shows the new "Movimientos" entry.
            deps.emit([rooms.queue, rooms.ticketStaff(event.ticketId)], "ticket:updated", hint);
            break;
        }
      } catch (err) {
        deps.onError?.(err, event);
      }
      try {
        await deps.enqueueEmails(event.emailIds);
      } catch (err) {
        deps.onError?.(err, event);
      }
      if (deps.notifyRequester && (event.type === "message.created" || event.type === "ticket.updated")) {
        try {
          const stored = await deps.notifyRequester(event);
          for (const n of stored) deps.emit([rooms.user(n.userId)], "notification:created", { notificationId: n.id, ticketId: event.ticketId, at: Date.now() });
        } catch (err) {
          deps.onError?.(err, event);
        }
      }
    },
  };
}
