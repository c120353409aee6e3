import { z } from "zod";
import { translate } from "~/i18n";
import { AppError } from "~/server/errors";
import { BODY_MAX, isStaff, type TicketStatus } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { agentReplyEmail } from "../notifications/templates";
import { findReadableTicket } from "./get-ticket";
import { textToHtml } from "./message-body";
import { mailContext, requesterForMail, stageTicketEmail } from "./ticket-mail";

export const replyInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  body: z.string().trim().min(1, "BODY_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
  internal: z.boolean().default(false),
});
export type ReplyInput = z.input<typeof replyInput>;

/** A customer writing again brings a ticket that waits on them (or was just resolved) back to the queue. */
const REOPENED_BY_CUSTOMER: ReadonlySet<TicketStatus> = new Set(["WAITING_ON_CUSTOMER", "RESOLVED"]);
const FINAL: ReadonlySet<TicketStatus> = new Set(["CLOSED", "REJECTED"]);

export async function replyToTicket(deps: Deps, actor: Actor, raw: ReplyInput) {
  const input = replyInput.parse(raw);
  const staff = isStaff(actor.role);
  if (input.internal && !staff) throw new AppError("FORBIDDEN");
  const found = await findReadableTicket(deps, actor, { id: input.ticketId });
  if (!staff && FINAL.has(found.status)) throw new AppError("TICKET_CLOSED");

  const now = deps.clock.now();
  const { message, emailIds, statusChanged } = await deps.db.$transaction(async (tx) => {
    const ticket = await tx.ticket.findUniqueOrThrow({
      where: { id: found.id },
      select: { id: true, number: true, subject: true, trackingId: true, replyToken: true, status: true, firstResponseAt: true, requester: requesterForMail },
    });
    const message = await tx.message.create({
      data: {
        ticketId: ticket.id,
        authorId: actor.id,
        internal: input.internal,
        bodyText: input.body,
        bodyHtml: textToHtml(input.body),
        channel: "PORTAL",
        createdAt: now,
      },
      select: { id: true, bodyText: true, bodyHtml: true, author: { select: { name: true, email: true } } },
    });
    await tx.ticketEvent.create({
      data: { ticketId: ticket.id, actorId: actor.id, type: input.internal ? "NOTE_ADDED" : "REPLIED", createdAt: now },
    });

    const reopen = !staff && REOPENED_BY_CUSTOMER.has(ticket.status);
    if (reopen) {
      await tx.ticketEvent.create({
        data: { ticketId: ticket.id, actorId: actor.id, type: "STATUS_CHANGED", fromValue: ticket.status, toValue: "OPEN", createdAt: now },
      });
    }
    await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        updatedAt: now,
        ...(reopen ? { status: "OPEN", resolvedAt: null } : {}),
        ...(staff && !input.internal && !ticket.firstResponseAt ? { firstResponseAt: now } : {}),
      },
    });

    const emailIds: string[] = [];
    if (staff && !input.internal) {
      const agentName = message.author?.name ?? message.author?.email ?? deps.mail.team;
      const ctx = mailContext(deps, ticket);
      const mail = agentReplyEmail({ ...ctx, agentName, bodyText: message.bodyText, bodyHtml: message.bodyHtml });
      const fromName = translate(ctx.locale, "email.via", { agent: agentName, team: deps.mail.team });
      emailIds.push(await stageTicketEmail(deps, tx, ticket, "agent_reply", message.id, mail, { fromName }));
    }
    return { message, emailIds, statusChanged: reopen };
  });

  await deps.bus.publish({
    type: "message.created",
    ticketId: found.id,
    number: found.number,
    requesterId: found.requesterId,
    messageId: message.id,
    internal: input.internal,
    emailIds,
  });
  if (statusChanged) {
    await deps.bus.publish({ type: "ticket.updated", ticketId: found.id, number: found.number, requesterId: found.requesterId, emailIds: [] });
  }
  return { id: message.id };
}
