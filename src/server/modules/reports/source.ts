import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import type { ReportInput } from "./period";

// Where a report's numbers come from.
//
// ReportDaily holds, per local day, the totals of every ticket ("all"), of each value of one
// dimension (team, agent, category, channel, priority) and of each pair of values of two dimensions
// (the ten pairs, "team+agent" … "channel+priority"): with up to two filters a year is at most 366
// rows of it, whatever the number of tickets. A pair's rows a day are at most its tickets that day
// (and at most the pair's combinations: 50 agents × 8 categories is the largest). A full cube
// (day × team × agent × category × channel × priority) would not shrink: it has more cells a day
// than a busy desk has tickets. So three filters or more read the per-ticket rows (TicketMetric)
// through the GiST index of their open span instead: the same columns, summed on the fly.
//
// Both are kept by triggers in the ticket's own transaction (never lost, nothing to reconcile);
// the rollup through an append-only delta table folded before each read (report_fold()), so
// concurrent ticket writes never wait on one another for a shared counter row.

export const DIMENSIONS = [
  ["teamId", "team", "teamId"],
  ["agentId", "agent", "agentId"],
  ["categoryId", "category", "categoryId"],
  ["channel", "channel", "channel"],
  ["priority", "priority", "priority"],
] as const;

/** "none" asks for the tickets with no team (agent, category). */
export const NONE = "none";

function setFilters(p: ReportInput) {
  return DIMENSIONS.flatMap(([key, dim, column]) => (p[key] ? [{ dim, column, value: p[key]! }] : []));
}

/** Whether the period's numbers can come from the rollup (up to two filters). */
export function usesRollup(p: ReportInput): boolean {
  return setFilters(p).length <= 2;
}

/** The rollup's key for up to two filters: the dimension ("all", "team", "team+channel") and its value ('' for none). */
export function rollupKey(p: ReportInput): { dim: string; value: string } {
  const fs = setFilters(p);
  if (fs.length > 2) throw new Error("three filters or more have no rollup");
  if (fs.length === 0) return { dim: "all", value: "" };
  const value = (f: (typeof fs)[number]) => (f.value === NONE && f.dim !== "channel" && f.dim !== "priority" ? "" : f.value);
  return { dim: fs.map((f) => f.dim).join("+"), value: fs.map(value).join("|") };
}

/** Conditions on TicketMetric m for the filters (true when none). */
export function metricFilters(p: ReportInput): SqlQuery {
  const parts = setFilters(p).map((f) => {
    const col = fragment(`m."${f.column}"`);
    if (f.value === NONE && (f.dim === "team" || f.dim === "agent" || f.dim === "category")) return sql`${col} IS NULL`;
    // Compared as the enum (not as text) so the column's indexes serve it; zod admitted only its values.
    if (f.dim === "channel") return sql`${col} = ${f.value}::"Channel"`;
    if (f.dim === "priority") return sql`${col} = ${f.value}::"Priority"`;
    return sql`${col} = ${f.value}`;
  });
  return parts.length ? parts.reduce((a, b) => sql`${a} AND ${b}`) : sql`TRUE`;
}

const COLUMNS = fragment(`day, created, "createdHours", done, resolved, "resolutionMsSum", "resolutionHist", "firstResponses",
  "firstResponseMsSum", "firstResponseHist", "frMet", "frBreached", "resMet", "resBreached", "evalHelpful", "evalNotHelpful"`);

export type Source = "rollup" | "tickets";

/**
 * The tickets open when the period starts (created before it, not done by then). From the rollup:
 * Σ (created − done) over the days before it (the key's rows of all history, a row a day). From the
 * tickets: a stabbing query on the GiST index of their [created, done) span.
 */
export function backlogSource(p: ReportInput, startUtc: Date, via: Source): SqlQuery {
  if (via === "rollup") {
    const { dim, value } = rollupKey(p);
    return sql`SELECT coalesce(sum(created - done), 0)::int AS n FROM "ReportDaily" WHERE dim = ${dim} AND value = ${value} AND day < ${p.from}::date`;
  }
  return sql`SELECT count(*)::int AS n FROM "TicketMetric" m
    WHERE tsrange(m."createdAt", m."doneAt") @> (${startUtc}::timestamp - interval '1 millisecond') AND ${metricFilters(p)}`;
}

/**
 * Rows shaped like ReportDaily's (day and its sums) for the period and filters. `startUtc`/`endUtc`:
 * the period's bounds as instants (its first local midnight, the one after its last day).
 */
export function dailySource(p: ReportInput, startUtc: Date, endUtc: Date, via: Source): SqlQuery {
  if (via === "rollup") {
    const { dim, value } = rollupKey(p);
    return sql`SELECT ${COLUMNS} FROM "ReportDaily" WHERE dim = ${dim} AND value = ${value} AND day BETWEEN ${p.from}::date AND ${p.to}::date`;
  }
  const inPeriod = (col: string) => sql`${fragment(`"${col}"`)} BETWEEN ${p.from}::date AND ${p.to}::date`;
  const n = (kind: string, i?: number) => fragment(`coalesce(sum(n) FILTER (WHERE k = '${kind}'${i ? ` AND i = ${i}` : ""}), 0)::int`);
  const hist = (kind: string, size: number) => fragment(`report_hist(array_agg(i) FILTER (WHERE k = '${kind}'), array_agg(n) FILTER (WHERE k = '${kind}'), ${size})`);
  // The tickets open at some moment of the period (created, answered, resolved, breached or closed in
  // it), or evaluated in it, read once; then each kind of event counted per day (and per hour or
  // duration bucket) on those few columns, and the counts folded into one row a day: the same sums
  // as report_events() gives the rollup, without a row per ticket and event.
  return sql`WITH m AS MATERIALIZED (
      SELECT m."createdDay", m."createdHour", m."doneDay", m."resolvedDay", m."resolutionMs", m."firstResponseDay", m."firstResponseMs",
        m."frOutcome", m."frOutcomeDay", m."resOutcome", m."resOutcomeDay", m.helpful, m."evaluatedDay"
      FROM "TicketMetric" m
      WHERE ${metricFilters(p)}
        AND (tsrange(m."createdAt", m."doneAt") && tsrange(${startUtc}::timestamp, ${endUtc}::timestamp) OR m."evaluatedDay" BETWEEN ${p.from}::date AND ${p.to}::date)
    ), ev AS (
      SELECT 'created' AS k, "createdDay" AS day, "createdHour" + 1 AS i, count(*)::int AS n, 0::numeric AS ms FROM m WHERE ${inPeriod("createdDay")} GROUP BY 2, 3
      UNION ALL SELECT 'done', "doneDay", 0, count(*)::int, 0 FROM m WHERE ${inPeriod("doneDay")} GROUP BY 2
      UNION ALL SELECT 'res', "resolvedDay", report_bucket("resolutionMs"), count(*)::int, sum("resolutionMs") FROM m WHERE ${inPeriod("resolvedDay")} GROUP BY 2, 3
      UNION ALL SELECT 'fr', "firstResponseDay", report_bucket("firstResponseMs"), count(*)::int, sum("firstResponseMs") FROM m WHERE ${inPeriod("firstResponseDay")} GROUP BY 2, 3
      UNION ALL SELECT 'fro', "frOutcomeDay", "frOutcome", count(*)::int, 0 FROM m WHERE ${inPeriod("frOutcomeDay")} GROUP BY 2, 3
      UNION ALL SELECT 'reso', "resOutcomeDay", "resOutcome", count(*)::int, 0 FROM m WHERE ${inPeriod("resOutcomeDay")} GROUP BY 2, 3
      UNION ALL SELECT 'eval', "evaluatedDay", CASE WHEN helpful THEN 1 ELSE 2 END, count(*)::int, 0 FROM m
        WHERE ${inPeriod("evaluatedDay")} AND helpful IS NOT NULL GROUP BY 2, 3
    )
    SELECT day, ${n("created")} AS created, ${hist("created", 24)} AS "createdHours", ${n("done")} AS done,
      ${n("res")} AS resolved, coalesce(sum(ms) FILTER (WHERE k = 'res'), 0)::bigint AS "resolutionMsSum", ${hist("res", 60)} AS "resolutionHist",
      ${n("fr")} AS "firstResponses", coalesce(sum(ms) FILTER (WHERE k = 'fr'), 0)::bigint AS "firstResponseMsSum", ${hist("fr", 60)} AS "firstResponseHist",
      ${n("fro", 1)} AS "frMet", ${n("fro", 2)} AS "frBreached", ${n("reso", 1)} AS "resMet", ${n("reso", 2)} AS "resBreached",
      ${n("eval", 1)} AS "evalHelpful", ${n("eval", 2)} AS "evalNotHelpful"
    FROM ev GROUP BY day`;
}
