import type { Sql } from "~/server/db/client";
import { fragment, newId, sql } from "~/server/db/sql";
import type { AlsoWrite } from "../tickets/ticket-writer";

/** The `InboundMail` row of one stored mail, in plain SQL: intake and processing run per mail at 100/s. */
export interface NewInboundMail {
  storageKey: string;
  sha256: string;
  size: number;
  envelopeFrom: string | null;
  envelopeTo: string[];
  source: "smtp" | "imap";
  imapMailboxId: string | null;
  clientIp: string | null;
  helo: string | null;
  receivedAt: Date;
}

export async function insertInboundMail(pool: Sql, m: NewInboundMail): Promise<string> {
  const id = newId();
  await pool.query(sql`INSERT INTO "InboundMail" (id, "storageKey", sha256, size, "envelopeFrom", "envelopeTo", source, "imapMailboxId", "clientIp", helo, "receivedAt")
    VALUES (${id}, ${m.storageKey}, ${m.sha256}, ${m.size}, ${m.envelopeFrom}, ${m.envelopeTo}::text[], ${m.source}, ${m.imapMailboxId}, ${m.clientIp}, ${m.helo}, ${m.receivedAt})`);
  return id;
}

export interface ClaimedInboundMail {
  id: string;
  storageKey: string;
  sha256: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  source: string;
  clientIp: string | null;
  helo: string | null;
}

/** A mail still waiting, with its attempt counted first (a mail that crashes the worker is given up on later). */
export async function claimInboundMail(pool: Sql, id: string): Promise<ClaimedInboundMail | null> {
  const { rows } = await pool.query<ClaimedInboundMail>(sql`UPDATE "InboundMail" SET attempts = attempts + 1
    WHERE id = ${id} AND status = 'RECEIVED'
    RETURNING id, "storageKey", sha256, "envelopeFrom", "envelopeTo", source, "clientIp", helo`);
  return rows[0] ?? null;
}

export type FinalStatus = "DUPLICATE" | "IGNORED" | "HELD" | "UNPROCESSABLE";

/** Settles a mail still waiting (with its authentication results, when known); false when another run already settled it. */
export async function settleInboundMail(
  pool: Sql,
  id: string,
  status: FinalStatus,
  reason: string,
  dedupeKey: string | null,
  now: Date,
  authResults: unknown = null,
): Promise<boolean> {
  const { rowCount } = await pool.query(sql`UPDATE "InboundMail"
    SET status = ${status}::"InboundMailStatus", reason = ${reason}, "dedupeKey" = ${dedupeKey}, "processedAt" = ${now},
      "authResults" = COALESCE(${authResults === null ? null : JSON.stringify(authResults)}::jsonb, "authResults")
    WHERE id = ${id} AND status = 'RECEIVED'`);
  return (rowCount ?? 0) > 0;
}

export interface KnownSender {
  id: string;
  email: string;
  name: string | null;
  locale: string;
  role: string;
  /** Staff only: the user part of their personal reply address (null until first needed). */
  replyToken?: string | null;
}

export interface SenderLookup {
  /** The ticket a message with this Message-ID (or raw hash) is already stored on. */
  seenTicketId: string | null;
  sender: KnownSender | null;
  /** Tickets this sender opened by mail since `since` (the rate limit). */
  recentTickets: number;
  /** A ticket number taken ahead, when asked for (a mail that will most likely open a ticket). */
  ticketNumber: number | null;
}

/**
 * Dedupe, sender and rate limit in one round trip; with `takeNumber`, the next ticket number too
 * (a sequence value a mail then does not use is a gap in the numbers, as a rolled-back insert is).
 */
export async function lookupSender(pool: Sql, dedupeKey: string, email: string, since: Date, takeNumber = false): Promise<SenderLookup> {
  const { rows } = await pool.query<{
    seenTicketId: string | null;
    id: string | null;
    email: string;
    name: string | null;
    locale: string;
    role: string;
    replyToken: string | null;
    recentTickets: number;
    ticketNumber: string | null;
  }>(
    sql`SELECT (SELECT "ticketId" FROM "Message" WHERE "emailMessageId" = ${dedupeKey}) AS "seenTicketId",
        u.id, u.email, u.name, u.locale, u.role::text AS role, u."replyToken",
        CASE WHEN u.id IS NULL THEN 0 ELSE (SELECT count(*)::int FROM "Ticket" t
          WHERE t."requesterId" = u.id AND t.channel = 'EMAIL' AND t."createdAt" > ${since}) END AS "recentTickets",
        CASE WHEN ${takeNumber}::boolean THEN nextval(pg_get_serial_sequence('"Ticket"', 'number')) END AS "ticketNumber"
      FROM (SELECT 1) one LEFT JOIN "User" u ON u.email = ${email}`,
  );
  const r = rows[0]!;
  return {
    seenTicketId: r.seenTicketId,
    sender: r.id ? { id: r.id, email: r.email, name: r.name, locale: r.locale, role: r.role, replyToken: r.replyToken } : null,
    recentTickets: r.recentTickets,
    ticketNumber: r.ticketNumber === null ? null : Number(r.ticketNumber),
  };
}

/** The ticket a message with this Message-ID (or raw hash) is stored on, if any. */
export async function ticketOfStoredMessage(pool: Sql, dedupeKey: string): Promise<string | null> {
  const { rows } = await pool.query<{ ticketId: string }>(sql`SELECT "ticketId" FROM "Message" WHERE "emailMessageId" = ${dedupeKey}`);
  return rows[0]?.ticketId ?? null;
}

/** The next ticket number, taken before the ticket's mails are rendered (they carry it). */
export async function nextTicketNumber(pool: Sql): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval(pg_get_serial_sequence('"Ticket"', 'number')) AS n`);
  return Number(rows[0]!.n);
}

/** How a processed mail ended, written by the ticket writer in the same statement as its rows. */
export interface ProcessedOutcome {
  inboundId: string;
  reason: string | null;
  dedupeKey: string;
  now: Date;
  /** SPF/DKIM/DMARC/ARC verdicts (authenticate-mail.ts), kept on the InboundMail row. */
  authResults: unknown;
}

/** The InboundMail row settled PROCESSED, as one more CTE of the ticket writer's statement (ticket-writer.ts). */
export function settleProcessed(o: ProcessedOutcome, ticketId: string, messageId: string): AlsoWrite {
  return (name, guard) => sql`${fragment(name)} AS (
    UPDATE "InboundMail" SET status = 'PROCESSED', "dedupeKey" = ${o.dedupeKey}, "ticketId" = ${ticketId}, "messageId" = ${messageId},
      "processedAt" = ${o.now}, reason = ${o.reason}, "authResults" = ${o.authResults === null ? null : JSON.stringify(o.authResults)}::jsonb
    WHERE id = ${o.inboundId} AND ${guard})`;
}
