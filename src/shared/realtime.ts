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

export interface ServerToClientEvents {
  "ticket:created": (hint: TicketHint) => void;
  "ticket:updated": (hint: TicketHint) => void;
  "message:created": (hint: MessageHint) => void;
}

/** RATE_LIMITED: over the per-socket event budget; a socket that keeps going over is disconnected. */
export type JoinAck = { status: "ok" } | { status: "error"; code: "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "RATE_LIMITED" };

export interface ClientToServerEvents {
  "ticket:join": (ticketId: string, ack: (res: JoinAck) => void) => void;
  "ticket:leave": (ticketId: string) => void;
}

export const rooms = {
  queue: "queue",
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  /** Staff-only view of a ticket: receives internal notes too. */
  ticketStaff: (ticketId: string) => `ticket-staff:${ticketId}`,
  user: (userId: string) => `user:${userId}`,
};
