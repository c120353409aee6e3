import { z } from "zod";
import { AppError } from "~/server/errors";
import { BODY_MAX, TICKET_STATUSES, isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { autoCloseAt } from "./auto-close";
import { changeStatus } from "./change-status";
import { findReadableTicket } from "./get-ticket";
import { expectedVersion } from "./version";

export const setStatusInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  status: z.enum(TICKET_STATUSES),
  /** Shown to the customer as a public message and in the mail; required to reject a ticket. */
  reason: z.string().trim().max(BODY_MAX, "BODY_TOO_LONG").optional(),
  version: expectedVersion,
});
export type SetStatusInput = z.input<typeof setStatusInput>;

/** Agents move a ticket to any status; a customer may only close their own ticket. */
export async function setTicketStatus(deps: Deps, actor: Actor, raw: SetStatusInput) {
  const input = setStatusInput.parse(raw);
  const found = await findReadableTicket(deps, actor, { id: input.ticketId });
  if (!isStaff(actor.role) && input.status !== "CLOSED") throw new AppError("FORBIDDEN");
  // With a version, a stale page is told the ticket changed (TICKET_CHANGED, under the row lock) rather than "unchanged".
  if (input.version === undefined && found.status === input.status) throw new AppError("STATUS_UNCHANGED");
  if (input.status === "REJECTED" && !input.reason) throw new AppError("REASON_REQUIRED");

  const changed = await changeStatus(deps, { ticketId: found.id, from: found.status, to: input.status, actorId: actor.id, reason: input.reason, expectedVersion: input.version });
  if (!changed) throw new AppError("STATUS_UNCHANGED");
  const closesAt = await autoCloseAt(deps, found, input.status, deps.clock.now());
  // A timer lost here (Redis away) is found by the sweep within a minute of its time (auto-close.ts).
  if (closesAt) await deps.queues.scheduleAutoClose(found.id, closesAt).catch(() => {});
  await deps.bus.publish({ type: "ticket.updated", ticketId: found.id, number: found.number, requesterId: found.requesterId, emailIds: changed.emailIds });
  return { status: input.status, version: changed.version };
}
