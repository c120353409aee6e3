import type { TicketStatus } from "~/shared/enums";

/** What a new message does to its ticket, by whoever writes it and however it arrives. */
export type ReplyEffect =
  /**
   * The ticket takes no more messages from this writer (a customer writing to a closed ticket): the
   * message opens a new ticket that follows it up (parentTicketId), by mail and from the portal alike.
   */
  | { accepted: false; followUp: true }
  | { accepted: true; reopen: boolean };

export interface ReplyingTicket {
  status: TicketStatus;
  resolvedAt: Date | null;
}

export interface Replier {
  staff: boolean;
  /** An auto-reply, a bounce, or a staff From that proved nothing: kept, but it moves nothing. */
  passive?: boolean;
}

const FINAL: ReadonlySet<TicketStatus> = new Set(["CLOSED", "REJECTED"]);

/**
 * The one reopen rule (portal, agent console and mail). A customer's reply brings a ticket waiting
 * on them, or resolved within the reopen window, back to the queue; a resolved ticket past the window
 * and a closed or rejected one take no more customer replies: theirs opens a follow-up. Staff may
 * always add to a ticket, and never reopen it by writing.
 */
export function replyEffect(ticket: ReplyingTicket, by: Replier, now: Date, reopenWindowHours: number): ReplyEffect {
  if (by.staff) return { accepted: true, reopen: false };
  if (FINAL.has(ticket.status)) return { accepted: false, followUp: true };
  if (ticket.status === "RESOLVED" && ticket.resolvedAt && now.getTime() - ticket.resolvedAt.getTime() > reopenWindowHours * 3600_000) {
    return { accepted: false, followUp: true };
  }
  const waiting = ticket.status === "RESOLVED" || ticket.status === "WAITING_ON_CUSTOMER";
  return { accepted: true, reopen: waiting && !by.passive };
}

export interface ReopenWindow {
  /** The requester may reopen it now ("Reabrir ticket" in the portal). */
  open: boolean;
  /** When the window ends (null: no window, or none left). */
  until: Date | null;
}

/**
 * "Reabrir ticket" from the portal is the same rule as a reply by mail: a resolved ticket reopens
 * exactly when the requester's reply to it would (replyEffect); a closed one, or one resolved past
 * the window, takes the follow-up path instead.
 */
export function reopenWindow(ticket: ReplyingTicket, now: Date, reopenWindowHours: number): ReopenWindow {
  if (ticket.status !== "RESOLVED") return { open: false, until: null };
  const effect = replyEffect(ticket, { staff: false }, now, reopenWindowHours);
  const open = effect.accepted && effect.reopen;
  return { open, until: open && ticket.resolvedAt ? new Date(ticket.resolvedAt.getTime() + reopenWindowHours * 3600_000) : null };
}
