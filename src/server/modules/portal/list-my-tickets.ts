import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import { MY_TICKET_FILTERS, MY_TICKET_SCOPES, type MyTicket, type MyTicketPage } from "~/shared/schemas/portal";
import type { TicketStatus } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { parseSearch } from "../tickets/queue/search";

export const listMyTicketsInput = z.strictObject({
  filter: z.enum(MY_TICKET_FILTERS).default("all"),
  /**
   * "organization": the tickets of every customer of the actor's organization, when it shares them
   * (Organization.membersSeeTickets); otherwise nothing. Never another organization's.
   */
  scope: z.enum(MY_TICKET_SCOPES).default("mine"),
  /** A ticket number (123 or #123) or words of the subject and the public messages. */
  q: z.string().trim().max(200).optional(),
  cursor: z.string().min(1).max(64).nullish(),
  /** Sent by tRPC's useInfiniteQuery with every page; pages only go forward here. */
  direction: z.enum(["forward", "backward"]).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ListMyTicketsInput = z.input<typeof listMyTicketsInput>;

/** "Abiertos": still at work or waiting on the customer; "Cerrados": resolved, closed or rejected. */
const OPEN_STATUSES: TicketStatus[] = ["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"];

/**
 * Waiting in line (seed 004: "gestiona las consultas en el orden en que se reciben… lista de espera"):
 * an open ticket no agent has answered yet. The expression is the partial index
 * Ticket_waiting_line_idx's predicate (migration 20261206152200_my_tickets), verbatim.
 */
const waiting = (t: string) => fragment(`${t}.status = 'OPEN' AND ${t}."firstResponseAt" IS NULL AND ${t}."mergedIntoId" IS NULL`);

interface Row {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  createdAt: Date;
  firstResponseAt: Date | null;
  cId: string | null;
  cEs: string | null;
  cEn: string | null;
  helpful: boolean | null;
  unread: boolean;
  waiting: boolean;
  requesterId: string;
  requesterName: string;
}

/**
 * The requester's own tickets, newest first, keyset pages on (createdAt, id): every condition starts
 * with `requesterId = actor`, so nothing of another customer's is ever read — the cursor included
 * (another's ticket id as cursor finds no key, and the page is empty). One statement for the page,
 * one for the waiting places of its waiting tickets.
 */
export async function listMyTickets(deps: Deps, actor: Actor, raw: ListMyTicketsInput): Promise<MyTicketPage> {
  const input = listMyTicketsInput.parse(raw);
  const pool = sqlOf(deps.db);
  // Whose tickets: the actor's, or their sharing organization's customers (one indexed read of User).
  const whose = (col: SqlQuery) =>
    input.scope === "mine"
      ? sql`${col} = ${actor.id}`
      : sql`${col} IN (SELECT r.id FROM "User" me JOIN "Organization" o ON o.id = me."organizationId" AND o."membersSeeTickets"
          JOIN "User" r ON r."organizationId" = o.id AND r.role = 'CUSTOMER' WHERE me.id = ${actor.id} AND me.role = 'CUSTOMER')`;
  const conditions: SqlQuery[] = [whose(sql`t."requesterId"`)];
  if (input.filter === "open") conditions.push(sql`t.status = ANY(${OPEN_STATUSES}::"TicketStatus"[])`);
  if (input.filter === "closed") conditions.push(sql`NOT (t.status = ANY(${OPEN_STATUSES}::"TicketStatus"[]))`);
  if (input.q) {
    const terms = parseSearch(input.q);
    const arms: SqlQuery[] = [];
    if (terms.number !== null) arms.push(sql`t.number = ${terms.number}`);
    // Public words only (customerSearchVector): an internal note's words never find a ticket for its customer.
    if (terms.text) arms.push(sql`t."customerSearchVector" @@ to_tsquery('vt_simple', ${terms.text})`);
    conditions.push(arms.length ? sql`(${arms.reduce((a, b) => sql`${a} OR ${b}`)})` : sql`false`);
  }
  if (input.cursor) {
    conditions.push(sql`(t."createdAt", t.id) < (SELECT k."createdAt", k.id FROM "Ticket" k WHERE k.id = ${input.cursor} AND ${whose(sql`k."requesterId"`)})`);
  }
  const where = conditions.reduce((acc, c) => sql`${acc} AND ${c}`);
  const { rows } = await pool.query<Row>(sql`SELECT t.id, t.number, t.subject, t.status::text AS status, t."createdAt", t."firstResponseAt",
      c.id AS "cId", c."nameEs" AS "cEs", c."nameEn" AS "cEn", ev.helpful, t."requesterId",
      (SELECT coalesce(q.name, q.email) FROM "User" q WHERE q.id = t."requesterId") AS "requesterName",
      -- Unread: a public answer of staff since the requester last opened the ticket (Message(ticketId, createdAt)).
      EXISTS (SELECT 1 FROM "Message" m JOIN "User" a ON a.id = m."authorId"
        WHERE m."ticketId" = t.id AND m."createdAt" > COALESCE(t."requesterLastViewedAt", '-infinity'::timestamp(3))
          AND NOT m.internal AND NOT m.automated AND a.role <> 'CUSTOMER') AS unread,
      (${waiting("t")}) AS waiting
    FROM "Ticket" t LEFT JOIN "Category" c ON c.id = t."categoryId" LEFT JOIN "TicketEvaluation" ev ON ev."ticketId" = t.id
    WHERE ${where}
    ORDER BY t."createdAt" DESC, t.id DESC LIMIT ${input.limit + 1}`);
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  const places = await waitingPlaces(deps, page.filter((r) => r.waiting).map((r) => r.id));
  const items: MyTicket[] = page.map((r) => ({
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    category: r.cId ? { id: r.cId, nameEs: r.cEs!, nameEn: r.cEn! } : null,
    createdAt: r.createdAt,
    firstResponseAt: r.firstResponseAt,
    helpful: r.helpful,
    unread: r.unread,
    waitingPosition: places.get(r.id) ?? null,
    // Another customer of the organization opened it: the list says who.
    requesterName: r.requesterId === actor.id ? null : r.requesterName,
  }));
  return { items, nextCursor: hasMore ? page[page.length - 1]!.id : null };
}

/**
 * Each waiting ticket's place in the line: its rank among all waiting tickets (every customer's),
 * oldest first. One walk of Ticket_waiting_line_idx up to the newest of them, whatever the count.
 */
export async function waitingPlaces(deps: Pick<Deps, "db">, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sqlOf(deps.db).query<{ id: string; place: string }>(sql`WITH newest AS (
      SELECT k."createdAt", k.id FROM "Ticket" k WHERE k.id = ANY(${ids}::text[]) ORDER BY k."createdAt" DESC, k.id DESC LIMIT 1)
    SELECT id, place FROM (
      SELECT w.id, row_number() OVER (ORDER BY w."createdAt", w.id) AS place FROM "Ticket" w
      WHERE ${waiting("w")} AND (w."createdAt", w.id) <= (SELECT "createdAt", id FROM newest)) line
    WHERE id = ANY(${ids}::text[])`);
  return new Map(rows.map((r) => [r.id, Number(r.place)]));
}
