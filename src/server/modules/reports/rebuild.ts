import { sqlOf, type Db } from "~/server/db/client";
import { sql } from "~/server/db/sql";

/**
 * Recomputes every ticket's metrics, the whole rollup and the knowledge base's (report_rebuild(), migrations
 * 20261207130000_reports and 20261208110000_reports_pairs_kb), in the default business calendar's zone: after that zone changes, or to
 * repair. Ticket writes wait while it runs (they are never lost).
 */
export async function rebuildReports(db: Db): Promise<{ tickets: number; timeZone: string }> {
  const pool = sqlOf(db);
  const { rows } = await pool.query<{ n: string }>(sql`SELECT report_rebuild((SELECT "timeZone" FROM "BusinessCalendar" WHERE "isDefault" LIMIT 1)) AS n`);
  const zone = await pool.query<{ tz: string }>(sql`SELECT report_zone() AS tz`);
  return { tickets: Number(rows[0]!.n), timeZone: zone.rows[0]!.tz };
}
