import type { Sql } from "~/server/db/client";
import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import type { Channel, Priority, TicketStatus } from "~/shared/enums";
import type { TicketForMail } from "./ticket-mail";

/** A ticket as a new message sees it: what the reply rule reads, and the requester its mail goes to. */
export type ReplyTarget = TicketForMail & {
  status: TicketStatus;
  resolvedAt: Date | null;
  requesterId: string;
  priority: Priority;
  categoryId: string | null;
  channel: Channel;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseWarnAt: Date | null;
  resolutionWarnAt: Date | null;
  /** Set while the ticket waits on the customer: its SLA clock is stopped (sla/due-times.ts). */
  slaPausedAt: Date | null;
  /** Bumped by a trigger on every agent-edited field: what an action made from an older view is refused by (version.ts). */
  version: number;
  /** Set once the ticket was merged into another (merge.ts): its messages go there. */
  mergedIntoId: string | null;
};

type ReplyTargetRow = Omit<ReplyTarget, "requester"> & { email: string; name: string | null; locale: string; role: string };

/** `SELECT ${REPLY_TARGET} WHERE …`: every lookup of a reply's ticket selects the same columns (`t` the ticket, `r` its requester). */
export const REPLY_TARGET = fragment(`t.id, t.number, t.status::text AS status, t."resolvedAt", t."requesterId", t.subject, t."trackingId", t."replyToken",
  t.priority::text AS priority, t."categoryId", t.channel::text AS channel, t."firstResponseAt", t."firstResponseDueAt", t."resolutionDueAt",
  t."firstResponseWarnAt", t."resolutionWarnAt", t."slaPausedAt",
  t.version, t."mergedIntoId",
  r.email, r.name, r.locale, r.role::text AS role
  FROM "Ticket" t JOIN "User" r ON r.id = t."requesterId"`);

/** The first row of a `REPLY_TARGET` query, or null. */
export async function firstReplyTarget(pool: Sql, query: SqlQuery): Promise<ReplyTarget | null> {
  const { rows } = await pool.query<ReplyTargetRow>(query);
  const row = rows[0];
  if (!row) return null;
  const { email, name, locale, role, ...ticket } = row;
  return { ...ticket, requester: { email, name, locale, role } };
}

export function replyTargetById(pool: Sql, id: string): Promise<ReplyTarget | null> {
  return firstReplyTarget(pool, sql`SELECT ${REPLY_TARGET} WHERE t.id = ${id}`);
}
