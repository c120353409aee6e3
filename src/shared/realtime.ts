// Events carry hints only; clients refetch through tRPC, so authorization lives in one place.
export interface TicketHint {
  ticketId: string;
  number: number;
  /** Server time (ms) the change was committed; lets benchmarks measure fan-out latency. */
  at: number;
}

export interface MessageHint extends TicketHint {
  messageId: string;
}

/** Something new in the user's own bell; the bell refetches its count and list. */
export interface NotificationHint {
  notificationId: string;
  ticketId: string;
  at: number;
}

export interface ServerToClientEvents {
  "ticket:created": (hint: TicketHint) => void;
  "ticket:updated": (hint: TicketHint) => void;
  "message:created": (hint: MessageHint) => void;
  "presence:changed": (state: PresenceState) => void;
  "presence:typing": (signal: TypingSignal) => void;
  "notification:created": (hint: NotificationHint) => void;
}

// Presence: which staff have a ticket open, and who is typing on it. Staff only: a customer can
// neither join a ticket's presence room nor hear anything said in it.
export interface Viewer {
  id: string;
  name: string;
}

export interface PresenceState {
  ticketId: string;
  /** Everyone (staff) with the ticket open, once per person however many tabs. */
  viewers: Viewer[];
  /** Server time (ms) the list was read: a client keeps the newest it has seen. */
  at: number;
}

export const TYPING_KINDS = ["reply", "note"] as const;
export type TypingKind = (typeof TYPING_KINDS)[number];

export interface TypingSignal {
  ticketId: string;
  user: Viewer;
  kind: TypingKind;
  /** The warning lapses this long after the last signal unless another one renews it. */
  ttlMs: number;
}

export const TYPING = {
  /** A client sends at most one signal per this interval while its agent types. */
  clientIntervalMs: 2000,
  /** The server passes on at most one signal per socket and ticket per this interval. */
  serverIntervalMs: 1000,
  ttlMs: 5000,
} as const;

export type PresenceAck = { status: "ok"; userId: string } | { status: "error"; code: "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "RATE_LIMITED" };

/** RATE_LIMITED: over the per-socket event budget; a socket that keeps going over is disconnected. */
export type JoinAck = { status: "ok" } | { status: "error"; code: "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "RATE_LIMITED" };

export interface ClientToServerEvents {
  "ticket:join": (ticketId: string, ack: (res: JoinAck) => void) => void;
  "ticket:leave": (ticketId: string) => void;
  "presence:join": (ticketId: string, ack: (res: PresenceAck) => void) => void;
  "presence:leave": (ticketId: string) => void;
  "presence:typing": (ticketId: string, kind: TypingKind) => void;
}

export const rooms = {
  queue: "queue",
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  /** Staff-only view of a ticket: receives internal notes too. */
  ticketStaff: (ticketId: string) => `ticket-staff:${ticketId}`,
  user: (userId: string) => `user:${userId}`,
  /** Staff who have the ticket open (presence and typing warnings). */
  ticketPresence: (ticketId: string) => `ticket-presence:${ticketId}`,
};
