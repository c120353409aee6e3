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

/**
 * Customers newest first, keyset pages on (createdAt, id) over the partial index
 * User_customer_list_idx; a search is a substring match over the trigram index
 * User_customer_search_idx (name, address and profile company lower-cased together), or the
 * customer's organization's name. Fast at 100k customers: no OFFSET, no count.
 */
export async function listCustomers(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof listCustomersInput>): Promise<{ items: CustomerRow[]; nextCursor: string | null }> {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
  const input = listCustomersInput.parse(raw);
  const conditions: SqlQuery[] = [sql`u.role = 'CUSTOMER'`];
  if (input.q) {
    const pattern = `%${likeEscape(input.q.toLowerCase())}%`;
    conditions.push(sql`(lower(coalesce(u.name, '') || ' ' || u.email || ' ' || coalesce(u.company, '')) LIKE ${pattern}
      OR u."organizationId" IN (SELECT o.id FROM "Organization" o WHERE lower(o.name) LIKE ${pattern}))`);
  }
  if (input.organizationId) conditions.push(sql`u."organizationId" = ${input.organizationId}`);
  if (input.cursor) conditions.push(sql`(u."createdAt", u.id) < (SELECT k."createdAt", k.id FROM "User" k WHERE k.id = ${input.cursor} AND k.role = 'CUSTOMER')`);
  const where = conditions.reduce((acc, c) => sql`${acc} AND ${c}`);
  const { rows } = await sqlOf(deps.db).query<Row>(sql`SELECT u.id, u.name, u.email, u.company, u."createdAt", o.id AS "orgId", o.name AS "orgName"
    FROM "User" u LEFT JOIN "Organization" o ON o.id = u."organizationId"
    WHERE ${where}
    ORDER BY u."createdAt" DESC, u.id DESC LIMIT ${input.limit + 1}`);
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  return {
    items: page.map((r) => ({ id: r.id, name: r.name, email: r.email, company: r.company, createdAt: r.createdAt, organization: r.orgId ? { id: r.orgId, name: r.orgName! } : null })),
    nextCursor: hasMore ? page[page.length - 1]!.id : null,
  };
}
