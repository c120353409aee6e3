import type { Sql } from "~/server/db/client";
import { isPgUniqueViolation } from "~/server/db/errors";
import { sql } from "~/server/db/sql";
import { newReplyToken } from "../../tickets/tracking-id";

/**
 * A staff member's own reply token (the user part of `soporte+<ticket>-<user>@…`), made the first
 * time it is needed: existing staff get one lazily, with no backfill. The UPDATE only fills an
 * empty column, so two first uses at once agree on one token. Null for a user who is not staff.
 */
export async function ensureStaffReplyToken(pool: Sql, userId: string): Promise<string | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const { rows } = await pool.query<{ token: string | null }>(sql`WITH upd AS (
          UPDATE "User" SET "replyToken" = ${newReplyToken()}
          WHERE id = ${userId} AND "replyToken" IS NULL AND role IN ('AGENT', 'ADMIN') RETURNING "replyToken")
        SELECT COALESCE((SELECT "replyToken" FROM upd), (SELECT "replyToken" FROM "User" WHERE id = ${userId} AND role IN ('AGENT', 'ADMIN'))) AS token`);
      // Null here can also mean a concurrent first use filled it after this statement's snapshot: read again.
      if (rows[0]?.token) return rows[0].token;
      const again = await pool.query<{ token: string | null }>(sql`SELECT "replyToken" AS token FROM "User" WHERE id = ${userId} AND role IN ('AGENT', 'ADMIN')`);
      return again.rows[0]?.token ?? null;
    } catch (err) {
      // 120 random bits colliding: draw again.
      if (!isPgUniqueViolation(err)) throw err;
    }
  }
  throw new Error(`could not give user ${userId} a reply token`);
}
