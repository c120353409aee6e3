import { z } from "zod";
import { AppError } from "~/server/errors";
import { BODY_MAX, TICKET_STATUSES, isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { statusChangedEmail } from "../notifications/templates";
import { resumeDueDates } from "../sla/pause";
import { findReadableTicket } from "./get-ticket";
import { textToHtml } from "./message-body";
import { mailContext, requesterForMail, stageTicketEmail } from "./ticket-mail";

export const setStatusInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  status: z.enum(TICKET_STATUSES),
  /** Shown to the customer as a public message and in the mail; required to reject a ticket. */
  reason: z.string().trim().max(BODY_MAX, "BODY_TOO_LONG").optional(),
});
export type SetStatusInput = z.input<typeof setStatusInput>;

/** Agents move a ticket to any status; a customer may only close their own ticket. */
export async function setTicketStatus(deps: Deps, actor: Actor, raw: SetStatusInput) {
  const input = setStatusInput.parse(raw);
  const found = await findReadableTicket(deps, actor, { id: input.ticketId });
  if (!isStaff(actor.role) && input.status !== "CLOSED") throw new AppError("FORBIDDEN");
  if (found.status === input.status) throw new AppError("STATUS_UNCHANGED");
  if (input.status === "REJECTED" && !input.reason) throw new AppError("REASON_REQUIRED");

  const now = deps.clock.now();
  const emailId = await deps.db.$transaction(async (tx) => {
    const clock = await tx.ticket.findUniqueOrThrow({
      where: { id: found.id },
      select: { priority: true, firstResponseAt: true, firstResponseDueAt: true, resolutionDueAt: true, slaPausedAt: true },
    });
    // Waiting on the customer stops the SLA clock; leaving that wait starts it again where it stopped.
    const sla =
      input.status === "WAITING_ON_CUSTOMER"
        ? { slaPausedAt: clock.slaPausedAt ?? now }
        : clock.slaPausedAt
          ? { ...resumeDueDates(deps.sla, clock.priority, clock, clock.slaPausedAt, now, !!clock.firstResponseAt), slaPausedAt: null }
          : {};
    // Conditional on the status we read, so two agents changing it at once cannot both win.
    const { count } = await tx.ticket.updateMany({
      where: { id: found.id, status: found.status },
      data: {
        status: input.status,
        updatedAt: now,
        ...sla,
        ...(input.status === "RESOLVED" ? { resolvedAt: now } : {}),
        ...(input.status === "CLOSED" ? { closedAt: now } : {}),
        ...(input.status === "OPEN" || input.status === "IN_PROGRESS" ? { resolvedAt: null, closedAt: null } : {}),
      },
    });
    if (count === 0) throw new AppError("STATUS_UNCHANGED");
    if (input.reason) {
      await tx.message.create({
        data: { ticketId: found.id, authorId: actor.id, bodyText: input.reason, bodyHtml: textToHtml(input.reason), channel: "PORTAL", createdAt: now },
      });
    }
    const event = await tx.ticketEvent.create({
      data: { ticketId: found.id, actorId: actor.id, type: "STATUS_CHANGED", fromValue: found.status, toValue: input.status, createdAt: now },
      select: { id: true },
    });
    const ticket = await tx.ticket.findUniqueOrThrow({
      where: { id: found.id },
      select: { id: true, number: true, subject: true, trackingId: true, replyToken: true, requester: requesterForMail },
    });
    const mail = statusChangedEmail({
      ...mailContext(deps, ticket),
      from: found.status,
      to: input.status,
      reason: input.reason,
      reopenHours: deps.mail.reopenWindowHours,
    });
    return stageTicketEmail(deps, tx, ticket, "status_changed", event.id, mail);
  });

  await deps.bus.publish({ type: "ticket.updated", ticketId: found.id, number: found.number, requesterId: found.requesterId, emailIds: [emailId] });
  return { status: input.status };
}
