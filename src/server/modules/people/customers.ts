import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { sql, type SqlQuery } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import type { CustomerRow } from "~/shared/schemas/people";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

export const listCustomersInput = z.strictObject({
  /** Words of the name, the address, the profile's company or the organization's name. */
  q: z.string().trim().max(200).optional(),
  organizationId: z.string().min(1).max(64).optional(),
  cursor: z.string().min(1).max(64).nullish(),
  direction: z.enum(["forward", "backward"]).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});

/** `%`, `_` and `\` are the user's characters, not LIKE's wildcards. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

interface Row {
  id: string;
  name: string | null;
  email: string;
  company: string | null;
  createdAt: Date;
  orgId: string | null;
  orgName: string | null;
}

/** How many of the newest customers a search first walks in order before it turns to the trigram index. */
const RECENT_WINDOW = 1000;

const SELECT = sql`SELECT u.id, u.name, u.email, u.company, u."createdAt", o.id AS "orgId", o.name AS "orgName"`;
const ORDER = sql`ORDER BY u."createdAt" DESC, u.id DESC`;

/**
 * Customers newest first, keyset pages on (createdAt, id) over the partial index
 * User_customer_list_idx. A search is a substring of the name, address and profile company
 * (lower-cased together: the trigram index User_customer_search_idx), or of the organization's name.
 * Fast at 100k customers whatever the term, in at most two statements: a common term ("gmail")
 * fills the page from the newest RECENT_WINDOW customers walked in order; a rarer one continues
 * past that window through the trigram index, whose few matches are sorted. No OFFSET, no count.
 */
export async function listCustomers(
  deps: Pick<Deps, "db">,
  actor: Actor,
  raw: z.input<typeof listCustomersInput>,
  /** Tests shrink the window to walk both steps on a few rows. */
  opts: { recentWindow?: number } = {},
): Promise<{ items: CustomerRow[]; nextCursor: string | null }> {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
  const input = listCustomersInput.parse(raw);
  const pool = sqlOf(deps.db);
  const want = input.limit + 1;
  const windowSize = opts.recentWindow ?? RECENT_WINDOW;
  const base: SqlQuery[] = [sql`u.role = 'CUSTOMER'`];
  if (input.organizationId) base.push(sql`u."organizationId" = ${input.organizationId}`);
  if (input.cursor) base.push(sql`(u."createdAt", u.id) < (SELECT k."createdAt", k.id FROM "User" k WHERE k.id = ${input.cursor} AND k.role = 'CUSTOMER')`);
  const and = (list: SqlQuery[]) => list.reduce((acc, c) => sql`${acc} AND ${c}`);

  let rows: Row[];
  if (!input.q) {
    rows = (await pool.query<Row>(sql`${SELECT} FROM "User" u LEFT JOIN "Organization" o ON o.id = u."organizationId" WHERE ${and(base)} ${ORDER} LIMIT ${want}`)).rows;
  } else {
    const pattern = `%${likeEscape(input.q.toLowerCase())}%`;
    // Organizations are few: their matching ids first, so each statement below stays simple to plan.
    const orgIds = (await pool.query<{ id: string }>(sql`SELECT id FROM "Organization" WHERE lower(name) LIKE ${pattern} LIMIT 1000`)).rows.map((r) => r.id);
    const text = sql`lower(coalesce(u.name, '') || ' ' || u.email || ' ' || coalesce(u.company, '')) LIKE ${pattern}`;
    const match = orgIds.length ? sql`(${text} OR u."organizationId" = ANY(${orgIds}::text[]))` : text;
    // 1. The newest customers (after the cursor), walked in order, then filtered; with how many
    //    the walk saw and the oldest of them (one row even when nothing matched).
    const recent = await pool.query<Partial<Row> & { seen: number; edge: string | null }>(sql`WITH w AS MATERIALIZED (SELECT u.id, u.name, u.email, u.company, u."organizationId", u."createdAt" FROM "User" u WHERE ${and(base)} ${ORDER} LIMIT ${windowSize}),
        s AS (SELECT count(*)::int AS seen, (SELECT id FROM w ORDER BY "createdAt", id LIMIT 1) AS edge FROM w)
      SELECT s.seen, s.edge, m.* FROM s LEFT JOIN LATERAL (
        ${SELECT} FROM w u LEFT JOIN "Organization" o ON o.id = u."organizationId" WHERE ${match} ${ORDER} LIMIT ${want}) m ON true`);
    const first = recent.rows[0];
    rows = recent.rows.filter((r): r is Row & { seen: number; edge: string | null } => !!r.id);
    // 2. Not enough there and more customers past the window: the trigram index finds the rest.
    if (rows.length < want && first && first.seen === windowSize && first.edge) {
      const older = await pool.query<Row>(sql`${SELECT} FROM "User" u LEFT JOIN "Organization" o ON o.id = u."organizationId"
        WHERE ${and([...base, sql`(u."createdAt", u.id) < (SELECT k."createdAt", k.id FROM "User" k WHERE k.id = ${first.edge})`, match])} ${ORDER} LIMIT ${want - rows.length}`);
      rows = [...rows, ...older.rows];
    }
  }
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  return {
    items: page.map((r) => ({ id: r.id, name: r.name, email: r.email, company: r.company, createdAt: r.createdAt, organization: r.orgId ? { id: r.orgId, name: r.orgName! } : null })),
    nextCursor: hasMore ? page[page.length - 1]!.id : null,
  };
}
