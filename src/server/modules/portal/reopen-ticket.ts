import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { BODY_MAX } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { mergedError } from "../tickets/answer-and-move";
import { reopenWindow, type ReopenWindow } from "../tickets/reply-rule";
import { replyTargetById, type ReplyTarget } from "../tickets/reply-target";
import { replyToTicket } from "../tickets/reply-to-ticket";

const ticketId = z.string().min(1).max(64);
export const reopenStateInput = z.strictObject({ ticketId });
export const reopenInput = z.strictObject({
  ticketId,
  /** Why: written into the thread as the customer's message. */
  reason: z.string().trim().min(1, "REOPEN_REASON_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
});

/** The requester's own ticket; anyone else's is "not found" (staff answer for no customer: "forbidden"). */
async function ownTicket(deps: Deps, actor: Actor, id: string): Promise<ReplyTarget> {
  const ticket = await replyTargetById(sqlOf(deps.db), id);
  if (!ticket || ticket.requesterId !== actor.id) throw new AppError(ticket && actor.role !== "CUSTOMER" ? "FORBIDDEN" : "TICKET_NOT_FOUND");
  return ticket;
}

/** Whether the ticket page offers "Reabrir ticket" now (tickets/reply-rule.ts reopenWindow), and until when. */
export async function reopenState(deps: Deps, actor: Actor, raw: z.input<typeof reopenStateInput>): Promise<ReopenWindow> {
  const ticket = await ownTicket(deps, actor, reopenStateInput.parse(raw).ticketId);
  if (ticket.mergedIntoId) return { open: false, until: null };
  return reopenWindow(ticket, deps.clock.now(), deps.mail.reopenWindowHours);
}

/**
 * "Reabrir ticket": the reason is the customer's reply, and the reply does the rest exactly as by mail
 * (tickets/reply-to-ticket.ts): the message, the status back to OPEN with its "Movimientos" entry, the
 * SLA clock, the live events, and the escalation of a second reopening (sla/escalation.ts). Refused
 * outside the window, where the page offers the follow-up path instead. Should the ticket close between
 * this check and the write, the reply rule opens the follow-up with the reason, as a reply would.
 */
export async function reopenTicket(deps: Deps, actor: Actor, raw: z.input<typeof reopenInput>): Promise<{ reopened: boolean; number: number }> {
  const input = reopenInput.parse(raw);
  const ticket = await ownTicket(deps, actor, input.ticketId);
  if (ticket.mergedIntoId) throw await mergedError(sqlOf(deps.db), ticket.mergedIntoId);
  if (!reopenWindow(ticket, deps.clock.now(), deps.mail.reopenWindowHours).open) throw new AppError("REOPEN_NOT_ALLOWED");
  const sent = await replyToTicket(deps, actor, { ticketId: ticket.id, body: input.reason });
  return sent.followUp ? { reopened: false, number: sent.followUp.number } : { reopened: true, number: ticket.number };
}
