import type { Sql } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { firstReplyTarget, REPLY_TARGET, replyTargetById, type ReplyTarget } from "../../tickets/reply-target";
import { replyTokenOf, replyTokensOf, type MailboxConfig } from "../trust/support-addresses";
import type { MailView } from "../parse/parse-mail";

type ThreadView = Partial<Pick<MailView, "to" | "cc" | "inReplyTo" | "references" | "subject">>;

export type ThreadTicket = ReplyTarget;
export type ThreadMatch = { ticket: ThreadTicket; by: "token" | "references" | "subject-tag" } | null;

/** Every lookup selects the same ticket columns, with the requester a reply mail is addressed to. */
const TICKET = REPLY_TARGET;

function addressesOf(mail: ThreadView): string[] {
  const out: string[] = [];
  for (const field of [mail.to, mail.cc]) {
    for (const group of Array.isArray(field) ? field : field ? [field] : []) {
      for (const v of group.value) if (v.address) out.push(v.address.toLowerCase());
    }
  }
  return out;
}

function referencedIds(mail: ThreadView): string[] {
  const refs = Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [];
  return [...new Set([mail.inReplyTo, ...refs].filter((x): x is string => !!x).flatMap((x) => x.split(/\s+/)).filter(Boolean))];
}

const first = firstReplyTarget;

/** The reply tokens in the mail's recipients (envelope first), the Message-IDs it answers, its `[#n]` tag. */
function evidenceOf(mailbox: MailboxConfig, mail: ThreadView, envelopeTo: string[]) {
  const tokens = [...new Set([...envelopeTo, ...addressesOf(mail)].map((a) => replyTokenOf(mailbox, a)).filter((t): t is string => !!t))];
  const tag = /\[#(\d{1,9})\]/.exec(mail.subject ?? "");
  return { tokens, ids: referencedIds(mail), tagNumber: tag ? Number(tag[1]) : null };
}

/**
 * The staff reply addresses (`soporte+<ticket>-<user>@…`) the mail was sent to, as token pairs: a
 * staff member's own token, on the address of the very ticket the mail lands on, proves it is theirs.
 */
export function personalTokensOf(mailbox: MailboxConfig, mail: ThreadView, envelopeTo: string[]): Array<{ ticket: string; user: string }> {
  return [...envelopeTo, ...addressesOf(mail)]
    .map((a) => replyTokensOf(mailbox, a))
    .filter((t): t is { ticket: string; user: string } => !!t?.user);
}

/** Whether the mail carries anything that could thread it (a token address, Message-IDs it answers, a ticket tag). */
export function hasThreadEvidence(mailbox: MailboxConfig, mail: ThreadView, envelopeTo: string[]): boolean {
  const e = evidenceOf(mailbox, mail, envelopeTo);
  return e.tokens.length > 0 || e.ids.length > 0 || e.tagNumber !== null;
}

/**
 * Which ticket a mail continues, in order of trust: our unguessable reply-address token (anyone
 * holding it took part: we mailed it to them); the Message-IDs it answers (ours or stored ones) and
 * a `[#1042]` subject tag, both only from a participant: the requester or an earlier author.
 * Message-IDs are no secret (they travel in every copy of our mail), so a stranger quoting one
 * opens a ticket of their own. `referencesFromAnyone`: staff (whose mail is verified apart) and
 * bounces (kept as internal notes, written by no one) thread by Message-ID whoever sent them.
 * `tokenOnly`: the From failed DMARC, so "from a participant" cannot be believed. At most one query
 * per kind of evidence.
 */
export async function findThread(
  pool: Sql,
  mailbox: MailboxConfig,
  mail: ThreadView,
  envelopeTo: string[],
  senderId: string | null,
  opts: { referencesFromAnyone?: boolean; tokenOnly?: boolean } = {},
): Promise<ThreadMatch> {
  return survivorOf(pool, await findOwnThread(pool, mailbox, mail, envelopeTo, senderId, opts));
}

/** A duplicate merged into another ticket (tickets/merge.ts) takes no more mail: it lands in the survivor. */
async function survivorOf(pool: Sql, match: ThreadMatch): Promise<ThreadMatch> {
  if (!match?.ticket.mergedIntoId) return match;
  const survivor = await replyTargetById(pool, match.ticket.mergedIntoId);
  return survivor ? { ...match, ticket: survivor } : match;
}

async function findOwnThread(
  pool: Sql,
  mailbox: MailboxConfig,
  mail: ThreadView,
  envelopeTo: string[],
  senderId: string | null,
  opts: { referencesFromAnyone?: boolean; tokenOnly?: boolean } = {},
): Promise<ThreadMatch> {
  const evidence = evidenceOf(mailbox, mail, envelopeTo);
  const { tokens } = evidence;
  // A From proven forged (DMARC fail) says nothing about who took part: only the secret token threads.
  const ids = opts.tokenOnly ? [] : evidence.ids;
  const tagNumber = opts.tokenOnly ? null : evidence.tagNumber;
  if (tokens.length) {
    const ticket = await first(pool, sql`SELECT ${TICKET} WHERE t."replyToken" = ANY(${tokens}::text[]) LIMIT 1`);
    if (ticket) return { ticket, by: "token" };
  }

  if (ids.length) {
    // Our own mail first, then stored customer mail, then our thread roots (`<ticket-<id>@…>`,
    // derived from the ticket id: no stored row needed).
    const roots = ids.map((id) => /^<ticket-([a-z0-9]+)@/.exec(id)?.[1]).filter((x): x is string => !!x);
    const ticket = await first(
      pool,
      sql`SELECT ${TICKET} JOIN (
          SELECT "ticketId" AS id, 1 AS rank FROM "OutboundEmail" WHERE "messageId" = ANY(${ids}::text[]) AND "ticketId" IS NOT NULL
          UNION ALL SELECT "ticketId", 2 FROM "Message" WHERE "emailMessageId" = ANY(${ids}::text[])
          UNION ALL SELECT id, 3 FROM "Ticket" WHERE id = ANY(${roots}::text[])
        ) m ON m.id = t.id
        WHERE ${!!opts.referencesFromAnyone}::boolean OR t."requesterId" = ${senderId}::text
          OR EXISTS (SELECT 1 FROM "Message" p WHERE p."ticketId" = t.id AND p."authorId" = ${senderId}::text)
        ORDER BY m.rank LIMIT 1`,
    );
    if (ticket) return { ticket, by: "references" };
  }

  if (tagNumber !== null && senderId) {
    const ticket = await first(
      pool,
      sql`SELECT ${TICKET} WHERE t.number = ${tagNumber}
        AND (t."requesterId" = ${senderId} OR EXISTS (SELECT 1 FROM "Message" p WHERE p."ticketId" = t.id AND p."authorId" = ${senderId}))`,
    );
    if (ticket) return { ticket, by: "subject-tag" };
  }
  return null;
}
