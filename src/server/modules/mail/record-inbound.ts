import type { Sql } from "~/server/db/client";
import { newId, sql, type SqlQuery } from "~/server/db/sql";
import type { StagedEmail } from "../notifications/outbox";

/**
 * What one processed mail writes, as ONE statement of data-modifying CTEs: atomic without a
 * transaction block, one round trip and one commit per mail. A unique violation (the same
 * Message-ID stored by a concurrent run) aborts all of it.
 */

export interface MailBody {
  bodyText: string;
  bodyHtml: string;
  fullHtml: string;
  emailMessageId: string;
  automated: boolean;
  /** From a staff address that proved nothing (see process-inbound): kept as an internal note, flagged. */
  unverifiedSender: boolean;
  /** The mail failed DMARC for its From domain: shown with a warning. */
  dmarcFailed: boolean;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/** The person the mail is from: known (its id), new (created unless a concurrent mail just did), or none (a bounce). */
export type MailAuthor = { known: string } | { create: { email: string; name: string | null } } | null;

export interface InboundOutcomeRow {
  inboundId: string;
  reason: string | null;
  dedupeKey: string;
  now: Date;
  /** SPF/DKIM/DMARC/ARC verdicts (authenticate-mail.ts), kept on the InboundMail row. */
  authResults: unknown;
}

/** An email to stage, optionally only when this mail created its author (the portal invitation). */
export type MailToStage = StagedEmail & { onlyForNewAuthor?: boolean };

/** `u(id, created)`: the author's row. ON CONFLICT DO UPDATE returns the row a concurrent first mail inserted. */
function authorCte(author: MailAuthor, now: Date): SqlQuery {
  if (!author) return sql`u AS (SELECT NULL::text AS id, false AS created)`;
  if ("known" in author) return sql`u AS (SELECT ${author.known}::text AS id, false AS created)`;
  return sql`u AS (
    INSERT INTO "User" (id, email, name, role, locale, "createdAt", "updatedAt")
    VALUES (${newId()}, ${author.create.email}, ${author.create.name}, 'CUSTOMER', 'es', ${now}, ${now})
    ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
    RETURNING id, (xmax = 0) AS created)`;
}

function messageCte(ticketId: string, messageId: string, body: MailBody, internal: boolean, now: Date): SqlQuery {
  return sql`m AS (
    INSERT INTO "Message" (id, "ticketId", "authorId", internal, "bodyText", "bodyHtml", "fullHtml", "emailMessageId", automated,
      "unverifiedSender", "dmarcFailed", channel, "createdAt")
    SELECT ${messageId}, ${ticketId}, u.id, ${internal}, ${body.bodyText}, ${body.bodyHtml}, ${body.fullHtml}, ${body.emailMessageId}, ${body.automated},
      ${body.unverifiedSender}, ${body.dmarcFailed}, 'EMAIL', ${now} FROM u)`;
}

function attachmentsCte(ticketId: string, messageId: string, list: StoredAttachment[], now: Date): SqlQuery {
  return sql`a AS (
    INSERT INTO "Attachment" (id, "ticketId", "messageId", filename, "contentType", size, sha256, "storageKey", "createdAt")
    SELECT x.id, ${ticketId}, ${messageId}, x.filename, x.type, x.size, x.sha256, x.key, ${now}
    FROM unnest(${list.map((a) => a.id)}::text[], ${list.map((a) => a.filename)}::text[], ${list.map((a) => a.contentType)}::text[],
                ${list.map((a) => a.size)}::int[], ${list.map((a) => a.sha256)}::text[], ${list.map((a) => a.storageKey)}::text[])
      AS x(id, filename, type, size, sha256, key))`;
}

/** `o(id)`: the staged mails (outbox rows) the queue is told about once this commits. */
function emailsCte(list: (MailToStage & { id: string })[], now: Date): SqlQuery {
  const col = <K extends keyof MailToStage>(k: K) => list.map((e) => e[k] ?? null);
  return sql`o AS (
    INSERT INTO "OutboundEmail" (id, "dedupeKey", "ticketId", kind, "to", subject, text, html, "messageId", "fromName", "replyTo", "createdAt")
    SELECT x.id, x.key, x.ticket, x.kind, x.to, x.subject, x.text, x.html, x.mid, x.from_name, x.reply_to, ${now}
    FROM unnest(${list.map((e) => e.id)}::text[], ${col("dedupeKey")}::text[], ${col("ticketId")}::text[], ${col("kind")}::text[],
                ${col("to")}::text[], ${col("subject")}::text[], ${col("text")}::text[], ${col("html")}::text[], ${col("messageId")}::text[],
                ${col("fromName")}::text[], ${col("replyTo")}::text[], ${list.map((e) => !!e.onlyForNewAuthor)}::bool[])
      AS x(id, key, ticket, kind, "to", subject, text, html, mid, from_name, reply_to, only_new)
    WHERE NOT x.only_new OR (SELECT created FROM u)
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id)`;
}

function processedCte(o: InboundOutcomeRow, ticketId: string, messageId: string): SqlQuery {
  return sql`im AS (
    UPDATE "InboundMail" SET status = 'PROCESSED', "dedupeKey" = ${o.dedupeKey}, "ticketId" = ${ticketId}, "messageId" = ${messageId},
      "processedAt" = ${o.now}, reason = ${o.reason}, "authResults" = ${o.authResults === null ? null : JSON.stringify(o.authResults)}::jsonb
    WHERE id = ${o.inboundId})`;
}

const RESULT = sql`SELECT (SELECT id FROM u) AS "authorId", (SELECT created FROM u) AS "authorCreated", ARRAY(SELECT id FROM o) AS "emailIds"`;

export interface RecordResult {
  authorId: string | null;
  authorCreated: boolean;
  /** The staged mails actually inserted (an invitation only when the author was created here). */
  emailIds: string[];
}

function withIds(emails: MailToStage[]) {
  return emails.map((e) => ({ ...e, id: newId() }));
}

async function run(pool: Sql, query: SqlQuery): Promise<RecordResult> {
  const { rows } = await pool.query<RecordResult>(query);
  return rows[0]!;
}

export interface NewTicketFromMail {
  ticket: { id: string; number: number; trackingId: string; replyToken: string; subject: string; parentTicketId: string | null };
  messageId: string;
  author: Exclude<MailAuthor, null>;
  /** The first message as an internal note (an unverified staff sender's mail). */
  internal: boolean;
  body: MailBody;
  attachments: StoredAttachment[];
  emails: MailToStage[];
  /** The invitation row, kept only when this mail created the author (its mail is `onlyForNewAuthor`). */
  invitation: { id: string; tokenHash: string; expiresAt: Date } | null;
  outcome: InboundOutcomeRow;
}

/** Author, ticket, first message, "Movimientos" entry, attachments, staged mails, invitation and the mail's outcome. */
export function recordNewTicket(pool: Sql, n: NewTicketFromMail): Promise<RecordResult> {
  const { ticket: t, outcome } = n;
  const now = outcome.now;
  const inv = n.invitation;
  return run(
    pool,
    sql`WITH ${authorCte(n.author, now)},
    t AS (
      INSERT INTO "Ticket" (id, number, "trackingId", "replyToken", subject, priority, channel, "requesterId", "parentTicketId", "createdAt", "updatedAt")
      SELECT ${t.id}, ${t.number}, ${t.trackingId}, ${t.replyToken}, ${t.subject}, 'MEDIUM', 'EMAIL', u.id, ${t.parentTicketId}, ${now}, ${now} FROM u),
    ${messageCte(t.id, n.messageId, n.body, n.internal, now)},
    e AS (
      INSERT INTO "TicketEvent" (id, "ticketId", "actorId", type, "toValue", "createdAt")
      SELECT ${newId()}, ${t.id}, u.id, 'CREATED', 'OPEN', ${now} FROM u),
    inv AS (
      INSERT INTO "Invitation" (id, "userId", "tokenHash", "expiresAt", "createdAt")
      SELECT ${inv?.id ?? null}, u.id, ${inv?.tokenHash ?? null}, ${inv?.expiresAt ?? null}, ${now} FROM u WHERE u.created AND ${!!inv}),
    ${attachmentsCte(t.id, n.messageId, n.attachments, now)},
    ${emailsCte(withIds(n.emails), now)},
    ${processedCte(outcome, t.id, n.messageId)}
    ${RESULT}`,
  );
}

export interface ReplyFromMail {
  ticketId: string;
  messageId: string;
  author: MailAuthor;
  /** A bounce, or an unverified staff sender's mail: an internal note, visible to staff only. */
  internal: boolean;
  body: MailBody;
  /** "Movimientos" entries, in order. */
  events: { type: "REPLIED" | "NOTE_ADDED" | "STATUS_CHANGED"; fromValue?: string; toValue?: string }[];
  /** A reply to a resolved or waiting ticket puts it back in the queue. */
  reopen: boolean;
  attachments: StoredAttachment[];
  emails: MailToStage[];
  outcome: InboundOutcomeRow;
}

/** Author (if new), message, "Movimientos" entries, the ticket's update, attachments, staged mails and the mail's outcome. */
export function recordReply(pool: Sql, r: ReplyFromMail): Promise<RecordResult> {
  const now = r.outcome.now;
  return run(
    pool,
    sql`WITH ${authorCte(r.author, now)},
    ${messageCte(r.ticketId, r.messageId, r.body, r.internal, now)},
    e AS (
      INSERT INTO "TicketEvent" (id, "ticketId", "actorId", type, "fromValue", "toValue", "createdAt")
      SELECT x.id, ${r.ticketId}, (SELECT id FROM u), x.type::"TicketEventType", x.from_value, x.to_value, ${now}
      FROM unnest(${r.events.map(() => newId())}::text[], ${r.events.map((e) => e.type)}::text[],
                  ${r.events.map((e) => e.fromValue ?? null)}::text[], ${r.events.map((e) => e.toValue ?? null)}::text[])
        AS x(id, type, from_value, to_value)),
    tu AS (
      UPDATE "Ticket" SET "updatedAt" = ${now},
        status = CASE WHEN ${r.reopen} THEN 'OPEN'::"TicketStatus" ELSE status END,
        "resolvedAt" = CASE WHEN ${r.reopen} THEN NULL ELSE "resolvedAt" END
      WHERE id = ${r.ticketId}),
    ${attachmentsCte(r.ticketId, r.messageId, r.attachments, now)},
    ${emailsCte(withIds(r.emails), now)},
    ${processedCte(r.outcome, r.ticketId, r.messageId)}
    ${RESULT}`,
  );
}
