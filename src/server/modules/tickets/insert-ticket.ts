import type { Channel, Priority } from "~/shared/enums";
import type { Deps } from "../deps";
import type { Tx } from "../notifications/outbox";
import { ticketCreatedEmail } from "../notifications/templates";
import { mailContext, requesterForMail, stageTicketEmail } from "./ticket-mail";
import { newReplyToken, newTrackingId } from "./tracking-id";

export interface NewTicket {
  subject: string;
  priority: Priority;
  channel: Channel;
  categoryId?: string | null;
  requesterId: string;
  actorId: string;
  clientRequestId?: string | null;
  parentTicketId?: string | null;
  message: { bodyText: string; bodyHtml: string; fullHtml?: string | null; emailMessageId?: string | null; automated?: boolean };
  /** Stage the "ticket created" mail to the requester (not for automatic mail, which is never answered). */
  notify: boolean;
}

/** Ticket, first message, "Movimientos" entry and the staged confirmation mail, inside the caller's transaction. */
export async function insertTicket(deps: Deps, tx: Tx, t: NewTicket) {
  const now = deps.clock.now();
  const ticket = await tx.ticket.create({
    data: {
      trackingId: newTrackingId(),
      replyToken: newReplyToken(),
      subject: t.subject,
      priority: t.priority,
      channel: t.channel,
      categoryId: t.categoryId ?? null,
      requesterId: t.requesterId,
      clientRequestId: t.clientRequestId ?? null,
      parentTicketId: t.parentTicketId ?? null,
      createdAt: now,
      messages: {
        create: {
          authorId: t.actorId,
          bodyText: t.message.bodyText,
          bodyHtml: t.message.bodyHtml,
          fullHtml: t.message.fullHtml ?? null,
          emailMessageId: t.message.emailMessageId ?? null,
          automated: t.message.automated ?? false,
          channel: t.channel,
          createdAt: now,
        },
      },
      events: { create: { type: "CREATED", actorId: t.actorId, toValue: "OPEN", createdAt: now } },
    },
    select: {
      id: true,
      number: true,
      trackingId: true,
      subject: true,
      replyToken: true,
      requester: requesterForMail,
      messages: { select: { id: true } },
    },
  });
  const emailIds = t.notify
    ? [await stageTicketEmail(deps, tx, ticket, "ticket_created", ticket.id, ticketCreatedEmail(mailContext(deps, ticket)))]
    : [];
  return { ticket, messageId: ticket.messages[0]!.id, emailIds };
}
