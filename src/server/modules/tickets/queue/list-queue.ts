import { z } from "zod";
import { sqlOf, type Sql } from "~/server/db/client";
import { SqlQuery, fragment, sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import { QUEUE_PAGE_MAX, QUEUE_PAGE_MIN, QUEUE_SORTS, QUEUE_VIEWS, type QueueSort } from "~/shared/queue";
import type { QueueItem } from "~/shared/schemas/queue";
import type { Actor } from "../../actor";
import type { Deps } from "../../deps";
import { ticketListItem, type TicketRow } from "../list-tickets";
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

interface Row extends TicketRow {
  tmId: string | null;
  tmName: string | null;
  lastCustomerMessageAt: Date | null;
  slaDueAt: Date | null;
  slaState: "overdue" | "atRisk" | "paused" | null;
  sortKey: string;
}

function item(r: Row): QueueItem {
  return { ...ticketListItem(r), team: r.tmId ? { id: r.tmId, name: r.tmName! } : null, lastCustomerMessageAt: r.lastCustomerMessageAt, slaDueAt: r.slaDueAt, slaState: r.slaState };
}

/** Tickets looked at in queue order before a search falls back to its indexes (see listQueue). */
const WALK_ROWS = 5000;

/** What the page query needs of each candidate ticket. */
const CANDIDATE = fragment(`t.id, t.number, t.subject, t.status, t.priority, t.channel, t."createdAt", t."updatedAt", t."firstResponseAt", t."resolvedAt",
  t."firstResponseDueAt", t."resolutionDueAt", t."firstResponseWarnAt", t."resolutionWarnAt", t."slaPausedAt", t."lastCustomerMessageAt",
  t."categoryId", t."requesterId", t."assigneeId", t."teamId"`);

/**
 * SQL written for `"Ticket" t`, applied to the walked rows `w` instead (only `t.` column
 * references change; the walk orders by its key column `k`, which the planner sees is already in order).
 */
function onWalked(q: SqlQuery): SqlQuery {
  return new SqlQuery(q.text.replace(/\bt\./g, "w."), q.values);
}

const RUNNING = fragment(`LEAST(CASE WHEN t."firstResponseAt" IS NULL THEN t."firstResponseDueAt" END, CASE WHEN t."resolvedAt" IS NULL THEN t."resolutionDueAt" END)`);

/** The page's rows: the candidates (ordered, limited) with their people, category, SLA state and cursor key. */
function pageSql(now: Date, key: ReturnType<typeof fragment>, order: SqlQuery, candidates: SqlQuery) {
  return unprepared(sql`
    SELECT t.id, t.number, t.subject, t.status::text AS status, t.priority::text AS priority, t.channel::text AS channel,
      t."createdAt", t."updatedAt", t."firstResponseAt", t."lastCustomerMessageAt",
      CASE WHEN ${ACTIVE} THEN ${RUNNING} END AS "slaDueAt",
      CASE WHEN NOT (${ACTIVE}) THEN NULL WHEN ${overdue(now)} THEN 'overdue' WHEN t."slaPausedAt" IS NOT NULL THEN 'paused'
           WHEN ${atRisk(now)} THEN 'atRisk' END AS "slaState",
      c.id AS "cId", c."nameEs" AS "cEs", c."nameEn" AS "cEn",
      r.id AS "rId", r.name AS "rName", r.email AS "rEmail",
      a.id AS "aId", a.name AS "aName", a.email AS "aEmail", tm.id AS "tmId", tm.name AS "tmName",
      (${key})::text AS "sortKey"
    FROM (${candidates}) t
    JOIN "User" r ON r.id = t."requesterId"
    LEFT JOIN "Category" c ON c.id = t."categoryId" LEFT JOIN "User" a ON a.id = t."assigneeId" LEFT JOIN "Team" tm ON tm.id = t."teamId"
    ${order}`);
}

function page(rows: Row[], limit: number) {
  const hasMore = rows.length > limit;
  const shown = hasMore ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { items: shown.map(item), nextCursor: hasMore && last ? encodeCursor(last.sortKey, last.id) : null };
}

async function pageOf(pool: Sql, limit: number, now: Date, key: ReturnType<typeof fragment>, order: SqlQuery, candidates: SqlQuery) {
  const { rows } = await pool.query<Row>(pageSql(now, key, order, candidates));
  return page(rows, limit);
}

/** Runs the statement with only ordered index scans allowed (SET LOCAL: this transaction only). */
async function inQueueOrder(pool: Sql, query: { text: string; values: unknown[] }) {
  const client = await pool.connect();
  try {
    // The disabled plans' huge costs would also cross JIT's threshold: compiling costs more than the query.
    await client.query(
      "BEGIN; SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true), set_config('jit', 'off', true)",
    );
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
 * A page of the agents' queue: a view, filters, a search, a sort, keyset pages, in plain SQL (the
 * queue is the product's hottest read): one statement, or up to four for a search (requesters, the
 * walk, whether the walk saw the whole view, the indexed fallback). bench/queue.ts times every case at 1M tickets.
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
  if (input.cursor) {
    const [key, id] = decodeCursor(input.cursor);
    conditions.push(sql`(${sort.key}, t.id) ${fragment(sort.desc ? "<" : ">")} (${key}::timestamp(3), ${id}::text)`);
  }
  const pool = sqlOf(deps.db);
  const dir = fragment(sort.desc ? "DESC" : "ASC");
  const order = sql`ORDER BY ${sort.key} ${dir}, t.id ${dir}`;
  const size = input.limit + 1;

  // The page is chosen from "Ticket" alone (its own indexes, at most `size` rows), and only those
  // rows are joined to their people and category (pageOf): joining first made the planner join
  // every candidate row of a view before sorting them.
  if (!input.search) return pageOf(pool, input.limit, now, sort.key, order, sql`SELECT ${CANDIDATE} FROM "Ticket" t ${whereAll(conditions)} ${order} LIMIT ${size}`);

  const terms = parseSearch(input.search);
  const requesters = terms.text ? await matchingRequesters(pool, terms.text) : [];
  const search = searchCondition(terms, requesters);
  if (!search) return { items: [], nextCursor: null }; // only punctuation: nothing matches, rather than everything

  // The planner cannot know how many tickets a search matches (a word outside its statistics is
  // assumed in 0.5% of them; two words are assumed independent), and a wrong guess costs a hundred
  // times over: walking all million tickets in order for a word in two of them, or fetching and
  // sorting 80,000 matches of two words that always come together. So it is not asked. First the
  // order is walked (only ordered index scans allowed), looking at no more than WALK_ROWS tickets:
  // a search matching more than 1 in 100 fills its page there. Otherwise the matches are few
  // enough to fetch through the search indexes (the order's index hidden by "+ interval '0'") and sort.
  if (terms.numberOnly) return pageOf(pool, input.limit, now, sort.key, order, sql`SELECT ${CANDIDATE} FROM "Ticket" t ${whereAll([...conditions, search])} ${order} LIMIT ${size}`);
  const walked = await inQueueOrder(
    pool,
    pageSql(now, sort.key, order, sql`SELECT w.* FROM (SELECT ${CANDIDATE}, t."searchVector", ${sort.key} AS k FROM "Ticket" t ${whereAll(conditions)} ${order} LIMIT ${WALK_ROWS}) w
      WHERE ${onWalked(search)} ORDER BY w.k ${dir}, w.id ${dir} LIMIT ${size}`),
  );
  if (walked.rows.length === size) return page(walked.rows, input.limit);
  // A live view holds a few thousand tickets: when the walk saw all of them, it found every match.
  const { rows: seen } = await pool.query<{ n: number }>(
    unprepared(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Ticket" t ${whereAll(conditions)} LIMIT ${WALK_ROWS}) v`),
  );
  if (seen[0]!.n < WALK_ROWS) return page(walked.rows, input.limit);
  const unordered = sql`ORDER BY (${sort.key}) + interval '0 seconds' ${dir}, t.id ${dir}`;
  return pageOf(pool, input.limit, now, sort.key, order, sql`SELECT ${CANDIDATE} FROM "Ticket" t ${whereAll([...conditions, search])} ${unordered} LIMIT ${size}`);
}
