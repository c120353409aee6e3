import { sqlOf } from "~/server/db/client";
import { newId } from "~/server/db/sql";
import { SUBJECT_MAX } from "~/shared/enums";
import type { Actor } from "../actor";
import { guestTicketCreatedEmail } from "../guest/guest-mail";
import type { Deps } from "../deps";
import { ticketCreatedEmail } from "../notifications/templates";
import { newTicketDueDates } from "../sla/ticket-sla";
import { scheduleSlaTimer } from "../sla/timers";
import { textToHtml } from "./message-body";
import type { ReplyTarget } from "./reply-target";
import { mailContext, ticketEmailRow } from "./ticket-mail";
import { writeNewTicket, type AlsoWrite, type StoredAttachment } from "./ticket-writer";
import { newReplyToken, newTrackingId } from "./tracking-id";

export interface FollowUp {
  id: string;
  number: number;
}

/**
 * A customer's reply to a ticket that takes no more (closed, rejected, resolved past the reopen
 * window) opens a new ticket continuing it — linked by parentTicketId, with the same subject,
 * priority and category — as the same reply by mail does (reply-rule.ts). Its SLA starts afresh.
 */
export async function openFollowUp(
  deps: Deps,
  actor: Actor,
  parent: ReplyTarget,
  body: string,
  files: { attachments: StoredAttachment[]; consume: AlsoWrite[] } = { attachments: [], consume: [] },
  /** GUEST: written from the tracking page (issue 15), so its mails lead there too. */
  channel: "PORTAL" | "GUEST" = "PORTAL",
): Promise<FollowUp & { messageId: string }> {
  const pool = sqlOf(deps.db);
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval(pg_get_serial_sequence('"Ticket"', 'number')) AS n`);
  const ticket = {
    id: newId(),
    number: Number(rows[0]!.n),
    trackingId: newTrackingId(),
    replyToken: newReplyToken(),
    subject: parent.subject.slice(0, SUBJECT_MAX),
    requester: parent.requester,
    channel,
  };
  const now = deps.clock.now();
  const messageId = newId();
  const written = await writeNewTicket(pool, {
    ticket: {
      ...ticket,
      priority: parent.priority,
      channel,
      categoryId: parent.categoryId,
      parentTicketId: parent.id,
      ...(await newTicketDueDates(deps, { categoryId: parent.categoryId, channel }, now, parent.priority)),
    },
    requester: { known: parent.requesterId },
    openedBy: actor.id,
    message: { id: messageId, authorId: actor.id, internal: false, body: { bodyText: body, bodyHtml: textToHtml(body) } },
    attachments: files.attachments,
    emails: [ticketEmailRow(deps, ticket, "ticket_created", ticket.id, (channel === "GUEST" ? guestTicketCreatedEmail : ticketCreatedEmail)(mailContext(deps, ticket)))],
    also: files.consume,
    now,
  });
  await deps.bus.publish({ type: "ticket.created", ticketId: ticket.id, number: ticket.number, requesterId: parent.requesterId, emailIds: written.emailIds });
  await scheduleSlaTimer(deps, ticket.id);
  return { id: ticket.id, number: ticket.number, messageId };
}
