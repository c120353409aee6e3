import { z } from "zod";
import { translate } from "~/i18n";
import { sqlOf, type Sql } from "~/server/db/client";
import { newId, sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { BODY_MAX, isStaff } from "~/shared/enums";
import { isPgUniqueViolation } from "~/server/db/errors";
import { ATTACHMENTS_MAX_FILES } from "~/shared/attachments";
import type { Actor } from "../actor";
import { claimUploads } from "../attachments/staged-uploads";
import type { Deps } from "../deps";
import { notifyMentions } from "../notifications/mentions";
import { agentReplyEmail } from "../notifications/templates";
import { canReadTicket } from "./access";
import { mergedError } from "./answer-and-move";
import { textToHtml } from "./message-body";
import { restartedDueDates } from "../sla/due-times";
import { afterStatusChange } from "../sla/escalation";
import { scheduleSlaTimer } from "../sla/timers";
import { openFollowUp, type FollowUp } from "./follow-up";
import { replyEffect } from "./reply-rule";
import { replyTargetById } from "./reply-target";
import { mailContext, ticketEmailRow } from "./ticket-mail";
import { writeMessage, type EmailToStage } from "./ticket-writer";

export const replyInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  body: z.string().trim().min(1, "BODY_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
  internal: z.boolean().default(false),
  /** Chosen by the client once per form: a retried submit returns the message it wrote, and writes nothing. */
  clientRequestId: z.string().min(8).max(64).optional(),
  /** The actor's staged uploads (POST /api/uploads) to attach. */
  attachmentIds: z.array(z.string().min(1).max(64)).max(ATTACHMENTS_MAX_FILES).optional(),
});
export type ReplyInput = z.input<typeof replyInput>;

export interface ReplyResult {
  /** The message written. */
  id: string;
  /** The ticket took no more replies from this customer: the new ticket their message opened, to go to. */
  followUp?: FollowUp;
}

/**
 * A public reply or an internal note from the portal or the agent console, through the ticket writer.
 * A customer's reply to a ticket that takes no more opens a follow-up ticket (reply-rule.ts).
 */
/** A guest's reply (issue 15): the files its draft staged, and the channel it came by. */
export interface ReplyOptions {
  uploadOwner?: string;
  channel?: "PORTAL" | "GUEST";
}

export async function replyToTicket(deps: Deps, actor: Actor, raw: ReplyInput, opts: ReplyOptions = {}): Promise<ReplyResult> {
  const input = replyInput.parse(raw);
  const staff = isStaff(actor.role);
  if (input.internal && !staff) throw new AppError("FORBIDDEN");
  const pool = sqlOf(deps.db);
  // The rule reads the ticket, the write holds only if it still has that status: a close by an agent
  // or a timer in between makes the reply decide again on the ticket as it is now.
  for (let attempt = 1; ; attempt++) {
    const written = await replyOnce(deps, actor, input, pool, opts);
    if (written || attempt === 3) {
      if (!written) throw new AppError("TICKET_CLOSED");
      return written;
    }
  }
}

async function replyOnce(deps: Deps, actor: Actor, input: z.output<typeof replyInput>, pool: Sql, opts: ReplyOptions): Promise<ReplyResult | null> {
  const staff = isStaff(actor.role);
  const ticket = await replyTargetById(pool, input.ticketId);
  if (!ticket || !canReadTicket(actor, ticket)) throw new AppError("TICKET_NOT_FOUND");
  // A merged duplicate is closed for everyone: the conversation goes on in the survivor (merge.ts).
  const earlier = await earlierMessage(pool, ticket.id, input.clientRequestId);
  if (earlier) return earlier;
  if (ticket.mergedIntoId) throw await mergedError(pool, ticket.mergedIntoId);
  const files = await claimUploads(deps, opts.uploadOwner ?? actor.id, input.attachmentIds);
  const now = deps.clock.now();
  const effect = replyEffect(ticket, { staff }, now, deps.mail.reopenWindowHours);
  if (!effect.accepted) {
    const followUp = await openFollowUp(deps, actor, ticket, input.body, files, opts.channel);
    return { id: followUp.messageId, followUp: { id: followUp.id, number: followUp.number } };
  }
  const reopen = effect.reopen;

  const messageId = newId();
  const bodyHtml = textToHtml(input.body);
  const emails: EmailToStage[] = [];
  if (staff && !input.internal) {
    const { rows } = await pool.query<{ name: string }>(sql`SELECT COALESCE(name, email) AS name FROM "User" WHERE id = ${actor.id}`);
    const agentName = rows[0]?.name ?? deps.mail.team;
    const ctx = mailContext(deps, ticket);
    const mail = agentReplyEmail({ ...ctx, agentName, bodyText: input.body, bodyHtml });
    const fromName = translate(ctx.locale, "email.via", { agent: agentName, team: deps.mail.team });
    emails.push(ticketEmailRow(deps, ticket, "agent_reply", messageId, mail, { fromName }));
  }
  let written;
  try {
    written = await writeMessage(pool, {
    ticketId: ticket.id,
    person: { known: actor.id },
    message: { id: messageId, clientRequestId: input.clientRequestId ?? null, authorId: actor.id, internal: input.internal, channel: opts.channel ?? "PORTAL", body: { bodyText: input.body, bodyHtml } },
    history: [
      { type: input.internal ? "NOTE_ADDED" : "REPLIED" },
      ...(reopen ? [{ type: "STATUS_CHANGED" as const, fromValue: ticket.status, toValue: "OPEN" }] : []),
    ],
    expectedStatus: ticket.status,
    status: reopen ? "OPEN" : null,
    firstResponse: staff && !input.internal,
    resumedDueDates: reopen ? restartedDueDates(await deps.sla.forTicket(ticket), ticket, now) : null,
    attachments: files.attachments,
    emails,
    also: files.consume,
    now,
  });
  } catch (err) {
    if (!isPgUniqueViolation(err)) throw err;
    // A concurrent submit of the same form wrote it: its message is the answer.
    const winner = await earlierMessage(pool, ticket.id, input.clientRequestId);
    if (winner) return winner;
    // The same uploads taken by another message meanwhile (an attachment's id is its upload's).
    if (files.attachments.length) throw new AppError("UPLOAD_NOT_FOUND");
    throw err;
  }

  if (!written.written) return null;
  const hint = { ticketId: ticket.id, number: ticket.number, requesterId: ticket.requesterId };
  await deps.bus.publish({ type: "message.created", ...hint, messageId, internal: input.internal, emailIds: written.emailIds });
  if (reopen) {
    await deps.bus.publish({ type: "ticket.updated", ...hint, emailIds: [] });
    // The reply is saved: what follows must not fail the request (a retry would write it twice).
    await scheduleSlaTimer(deps, ticket.id);
    await afterStatusChange(deps, ticket.id, ticket.status, "OPEN");
  }
  // The note is saved: a bell that cannot ring must not fail the request (a retry would write the note twice).
  await notifyMentions(deps, actor, { ticketId: ticket.id, body: input.body, internal: input.internal }).catch(() => []);
  return { id: messageId };
}

/** The message a form with this retry key already wrote on the ticket, if any. */
async function earlierMessage(pool: Sql, ticketId: string, clientRequestId: string | undefined): Promise<ReplyResult | null> {
  if (!clientRequestId) return null;
  const { rows } = await pool.query<{ id: string }>(sql`SELECT id FROM "Message" WHERE "ticketId" = ${ticketId} AND "clientRequestId" = ${clientRequestId}`);
  return rows[0] ? { id: rows[0].id } : null;
}
