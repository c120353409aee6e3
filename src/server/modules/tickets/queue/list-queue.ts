import { z } from "zod";
import { sqlOf, type Sql } from "~/server/db/client";
import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { isStaff, type Channel, type Priority, type TicketStatus } from "~/shared/enums";
import { QUEUE_PAGE_MAX, QUEUE_PAGE_MIN, QUEUE_SORTS, QUEUE_VIEWS, type QueueSort } from "~/shared/queue";
import type { QueueItem } from "~/shared/schemas/queue";
import type { Actor } from "../../actor";
import type { Deps } from "../../deps";
import { filterConditions, queueFilters, whereAll } from "./queue-filters";
import { matchingRequesters, parseSearch, searchCondition } from "./search";
import { unprepared } from "./unprepared";
import { ACTIVE, LAST_CUSTOMER_KEY, SLA_KEY, atRisk, overdue, statusCondition, viewCondition } from "./views";

export const listQueueInput = queueFilters.extend({
  view: z.enum(QUEUE_VIEWS).default("unassigned"),
  search: z.string().trim().max(200).optional(),
  sort: z.enum(QUEUE_SORTS).default("oldest"),
  cursor: z.string().min(1).max(300).nullish(),
  /** Sent by tRPC's useInfiniteQuery with every page; pages only go forward here. */
  direction: z.enum(["forward", "backward"]).optional(),
  limit: z.number().int().min(QUEUE_PAGE_MIN).max(QUEUE_PAGE_MAX).default(QUEUE_PAGE_MAX),
});
export type ListQueueInput = z.input<typeof listQueueInput>;

/**
 * Each sort is a key and the ticket id, both in one direction, so a page continues strictly after
 * the last row of the one before ((key, id) > (k, i)): equal timestamps neither repeat nor skip.
 * The key travels in the cursor as PostgreSQL's own text of it ('infinity' included).
 */
const SORTS: Record<QueueSort, { key: ReturnType<typeof fragment>; desc: boolean }> = {
  oldest: { key: fragment(`t."createdAt"`), desc: false },
  newest: { key: fragment(`t."createdAt"`), desc: true },
  slaDue: { key: SLA_KEY, desc: false },
  lastCustomer: { key: LAST_CUSTOMER_KEY, desc: true },
};

function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string" && v[0].length < 40) return [v[0], v[1]];
  } catch {
    // falls through to the error below
  }
  throw new AppError("VALIDATION");
}

interface Row {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt: Date | null;
  lastCustomerMessageAt: Date | null;
  slaDueAt: Date | null;
  slaState: "overdue" | "atRisk" | "paused" | null;
  cId: string | null;
  cEs: string | null;
  cEn: string | null;
  rId: string;
  rName: string | null;
  rEmail: string;
  aId: string | null;
  aName: string | null;
  aEmail: string | null;
  sortKey: string;
}

function item(r: Row): QueueItem {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    firstResponseAt: r.firstResponseAt,
    lastCustomerMessageAt: r.lastCustomerMessageAt,
    slaDueAt: r.slaDueAt,
    slaState: r.slaState,
    category: r.cId ? { id: r.cId, nameEs: r.cEs!, nameEn: r.cEn! } : null,
    requester: { id: r.rId, name: r.rName, email: r.rEmail },
    assignee: r.aId ? { id: r.aId, name: r.aName, email: r.aEmail! } : null,
  };
}

/** Below this many matches a search's tickets are read from the search indexes and sorted. */
const FEW_MATCHES = 1000;

/**
 * Whether a search matches few tickets, asked of the indexes themselves (a LIMITed count: a rare
 * word is a few GIN entries, a common one stops after FEW_MATCHES rows). The planner cannot know:
 * for a word outside its statistics it assumes 0.5% of the tickets, and at a million tickets it
 * then walks the queue's order expecting a match every 200 rows, reading all million when the word
 * is in two tickets. Few matches: the order's index is hidden (below), so the matches are fetched
 * through the search indexes and sorted. Many (at least 0.1% of a million): the order is walked
 * (inQueueOrder), which finds a page after some thousands of rows at most.
 */
async function fewMatches(pool: Sql, search: SqlQuery): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(
    unprepared(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Ticket" t WHERE ${search} LIMIT ${FEW_MATCHES}) m`),
  );
  return rows[0]!.n < FEW_MATCHES;
}

/**
 * Runs the page's statement with only ordered index scans allowed: a search with many matches
 * finds a page after a few thousand rows in queue order, but the planner may estimate two words
 * that always come together (or any expression it has no statistics for) at a handful of rows,
 * and then fetches all their matches, or every ticket, to sort them. SET LOCAL keeps it to this
 * transaction.
 */
async function inQueueOrder(pool: Sql, query: { text: string; values: unknown[] }) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN; SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)");
    const result = await client.query<Row>(query);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * A page of the agents' queue: a view, filters, a search, a sort, keyset pages. One statement in
 * plain SQL (the queue is the product's hottest read); bench/queue.ts times every case at 1M tickets.
 */
export async function listQueue(deps: Deps, actor: Actor, raw: ListQueueInput) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const input = listQueueInput.parse(raw);
  const now = deps.clock.now();
  const sort = SORTS[input.sort];
  const conditions = filterConditions(input, actor.id);
  const statuses = statusCondition(input.view, input.status);
  if (statuses) conditions.push(statuses);
  const view = viewCondition(input.view, actor.id, now);
  if (view) conditions.push(view);
  const pool = sqlOf(deps.db);
  let orderBy = sql`${sort.key}`;
  let walkInOrder = false;
  if (input.search) {
    const terms = parseSearch(input.search);
    const requesters = terms.text ? await matchingRequesters(pool, terms.text) : [];
    const search = searchCondition(terms, requesters);
    conditions.push(search ?? sql`false`); // only punctuation: nothing matches, rather than everything
    if (search && (await fewMatches(pool, search))) orderBy = sql`(${sort.key}) + interval '0 seconds'`;
    else if (search) walkInOrder = true;
  }
  if (input.cursor) {
    const [key, id] = decodeCursor(input.cursor);
    conditions.push(sql`(${sort.key}, t.id) ${fragment(sort.desc ? "<" : ">")} (${key}::timestamp(3), ${id}::text)`);
  }
  const dir = fragment(sort.desc ? "DESC" : "ASC");
  const running = fragment(`LEAST(CASE WHEN t."firstResponseAt" IS NULL THEN t."firstResponseDueAt" END, CASE WHEN t."resolvedAt" IS NULL THEN t."resolutionDueAt" END)`);

  // The page is chosen from "Ticket" alone (its own indexes, at most limit + 1 rows), and only
  // those rows are joined to their people and category: joining first made the planner join every
  // candidate row of a view before sorting them.
  const query = unprepared(sql`
    SELECT t.id, t.number, t.subject, t.status::text AS status, t.priority::text AS priority, t.channel::text AS channel,
      t."createdAt", t."updatedAt", t."firstResponseAt", t."lastCustomerMessageAt",
      CASE WHEN ${ACTIVE} THEN ${running} END AS "slaDueAt",
      CASE WHEN NOT (${ACTIVE}) THEN NULL WHEN ${overdue(now)} THEN 'overdue' WHEN t."slaPausedAt" IS NOT NULL THEN 'paused'
           WHEN ${atRisk(now)} THEN 'atRisk' END AS "slaState",
      c.id AS "cId", c."nameEs" AS "cEs", c."nameEn" AS "cEn",
      r.id AS "rId", r.name AS "rName", r.email AS "rEmail",
      a.id AS "aId", a.name AS "aName", a.email AS "aEmail",
      t."sortKey"
    FROM (
      SELECT t.id, t.number, t.subject, t.status, t.priority, t.channel, t."createdAt", t."updatedAt", t."firstResponseAt", t."resolvedAt",
        t."firstResponseDueAt", t."resolutionDueAt", t."firstResponseWarnAt", t."resolutionWarnAt", t."slaPausedAt", t."lastCustomerMessageAt",
        t."categoryId", t."requesterId", t."assigneeId", (${sort.key})::text AS "sortKey"
      FROM "Ticket" t
      ${whereAll(conditions)}
      ORDER BY ${orderBy} ${dir}, t.id ${dir}
      LIMIT ${input.limit + 1}
    ) t
    JOIN "User" r ON r.id = t."requesterId"
    LEFT JOIN "Category" c ON c.id = t."categoryId" LEFT JOIN "User" a ON a.id = t."assigneeId"
    ORDER BY ${sort.key} ${dir}, t.id ${dir}`);
  const { rows } = walkInOrder ? await inQueueOrder(pool, query) : await pool.query<Row>(query);
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  return { items: page.map(item), nextCursor: hasMore && last ? encodeCursor(last.sortKey, last.id) : null };
}
