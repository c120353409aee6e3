import type { Env } from "~/env";
import type { Sql } from "~/server/db/client";
import { newId, sql } from "~/server/db/sql";

/**
 * Mail-loop windows (Zammad's table): at most `ticket.max` mails sent for one ticket within
 * `ticket.windowMs`, and `recipient.max` to one address (across tickets) within `recipient.windowMs`.
 * A mail over a window is HELD, never sent and never lost: an admin sees it at /admin/mailbox with
 * one open AdminAlert per ticket or address, and may release it (sent once, the window bypassed).
 */
export interface LoopLimits {
  ticket: { max: number; windowMs: number };
  recipient: { max: number; windowMs: number };
}

export const DEFAULT_LOOP_LIMITS: LoopLimits = {
  ticket: { max: 10, windowMs: 10 * 60_000 },
  recipient: { max: 30, windowMs: 10 * 60_000 },
};

export function loopLimits(env: Pick<Env, "MAIL_LOOP_TICKET_MAX" | "MAIL_LOOP_TICKET_MINUTES" | "MAIL_LOOP_RECIPIENT_MAX" | "MAIL_LOOP_RECIPIENT_MINUTES">): LoopLimits {
  return {
    ticket: { max: env.MAIL_LOOP_TICKET_MAX, windowMs: env.MAIL_LOOP_TICKET_MINUTES * 60_000 },
    recipient: { max: env.MAIL_LOOP_RECIPIENT_MAX, windowMs: env.MAIL_LOOP_RECIPIENT_MINUTES * 60_000 },
  };
}

/** `heldReason` of a mail held by a window (a code: the admin page words it in the reader's language). */
export const HELD_TICKET = "mail-loop:ticket";
export const HELD_RECIPIENT = "mail-loop:to";
export const MAIL_LOOP_ALERT = "mail-loop";

export type SendVerdict = "send" | "held" | "skip";

/**
 * Claims one mail for sending, or holds it: ONE statement, run by the notifications worker just
 * before SMTP. What counts against a window: the ticket's (or address's) other mail staged within it
 * (`createdAt`, so the count is a range scan of the (ticketId, createdAt) and (to, createdAt)
 * indexes) that was sent or is being sent. A mail is "being sent" from the moment it is claimed: its
 * `sentAt` is set here (still QUEUED) and overwritten once sent; a failed attempt clears it
 * (send-email.ts). A loop makes new mail, so mail staged long ago and sent late (a backlog after an
 * outage) does not count.
 *
 * Race: the counts see the claims committed before the statement began. Two workers claiming mails
 * of the same ticket at the same instant may each miss the other, so a window can be overrun by at
 * most the number of sends running at once (BullMQ concurrency × worker processes), and only while
 * those statements (about a millisecond each, not the SMTP round trip) overlap. Exact serialization
 * (a lock per ticket and per address) would cost a transaction of three or four statements per mail;
 * a loop is a runaway of hundreds of mails, and this stops it within the concurrency.
 *
 * A mail an admin released (QUEUED again, `heldReason` kept) is sent without counting: once.
 */
export async function claimOrHold(pool: Sql, emailId: string, now: Date, limits: LoopLimits): Promise<SendVerdict> {
  const since = (ms: number) => new Date(now.getTime() - ms);
  const minutes = (ms: number) => Math.round((ms / 60_000) * 100) / 100;
  const { rows } = await pool.query<{ verdict: "send" | "ticket" | "to" }>(sql`
    WITH m AS (
      SELECT id, "ticketId", "to", "heldReason" FROM "OutboundEmail" WHERE id = ${emailId} AND status IN ('QUEUED', 'FAILED')
    ), c AS (
      SELECT m.*,
        CASE WHEN m."ticketId" IS NULL THEN 0 ELSE (SELECT count(*) FROM "OutboundEmail" o
          WHERE o."ticketId" = m."ticketId" AND o."createdAt" >= ${since(limits.ticket.windowMs)}::timestamp(3) AND o.id <> m.id
            AND o.status IN ('QUEUED', 'SENT') AND o."sentAt" IS NOT NULL) END AS per_ticket,
        (SELECT count(*) FROM "OutboundEmail" o
          WHERE o."to" = m."to" AND o."createdAt" >= ${since(limits.recipient.windowMs)}::timestamp(3) AND o.id <> m.id
            AND o.status IN ('QUEUED', 'SENT') AND o."sentAt" IS NOT NULL) AS per_to
      FROM m
    ), v AS (
      SELECT c.*, CASE
        WHEN c."heldReason" IS NOT NULL THEN 'send'
        WHEN c.per_ticket >= ${limits.ticket.max}::int THEN 'ticket'
        WHEN c.per_to >= ${limits.recipient.max}::int THEN 'to'
        ELSE 'send' END AS verdict
      FROM c
    ), u AS (
      UPDATE "OutboundEmail" e SET
        status = CASE WHEN v.verdict = 'send' THEN e.status ELSE 'HELD'::"OutboundEmailStatus" END,
        "sentAt" = CASE WHEN v.verdict = 'send' THEN ${now}::timestamp(3) ELSE NULL END,
        "heldReason" = CASE v.verdict WHEN 'ticket' THEN ${HELD_TICKET} WHEN 'to' THEN ${HELD_RECIPIENT} ELSE e."heldReason" END
      FROM v WHERE e.id = v.id AND e.status IN ('QUEUED', 'FAILED')
      RETURNING e.id, v.verdict, v."ticketId", v."to"
    ), a AS (
      INSERT INTO "AdminAlert" (id, kind, params, "dedupeKey", "createdAt")
      SELECT ${newId()}, ${MAIL_LOOP_ALERT},
        jsonb_build_object(
          'scope', u.verdict, 'ticketId', u."ticketId", 'number', (SELECT t.number FROM "Ticket" t WHERE t.id = u."ticketId"), 'to', u."to",
          'max', CASE u.verdict WHEN 'ticket' THEN ${limits.ticket.max}::int ELSE ${limits.recipient.max}::int END,
          'minutes', CASE u.verdict WHEN 'ticket' THEN ${minutes(limits.ticket.windowMs)}::float8 ELSE ${minutes(limits.recipient.windowMs)}::float8 END,
          'held', 1),
        CASE u.verdict WHEN 'ticket' THEN 'mail-loop:ticket:' || u."ticketId" ELSE 'mail-loop:to:' || lower(u."to") END,
        ${now}::timestamp(3)
      FROM u WHERE u.verdict <> 'send'
      ON CONFLICT ("dedupeKey") DO UPDATE
        SET params = "AdminAlert".params || jsonb_build_object('held', COALESCE(("AdminAlert".params->>'held')::int, 0) + 1)
    )
    SELECT verdict FROM u`);
  const verdict = rows[0]?.verdict;
  if (!verdict) return "skip";
  return verdict === "send" ? "send" : "held";
}
