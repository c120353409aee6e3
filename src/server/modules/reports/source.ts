import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import type { ReportInput } from "./period";

// Where a report's numbers come from.
//
// ReportDaily holds, per local day, the totals of every ticket ("all") and of each value of one
// dimension (team, agent, category, channel, priority): with no filter or one, a year is at most
// 366 rows of it, whatever the number of tickets. A full cube (day × team × agent × category ×
// channel × priority) would not shrink: with 50 agents, 8 categories, 5 teams it has more cells
// a day than a busy desk has tickets. So two filters or more read the per-ticket rows
// (TicketMetric) through their day indexes and the GiST index of their open span instead: the
// same columns, summed on the fly.
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

/** Whether the period's numbers can come from the rollup (no filter or one). */
export function usesRollup(p: ReportInput): boolean {
  return setFilters(p).length <= 1;
}

/** Conditions on TicketMetric m for the filters (true when none). */
export function metricFilters(p: ReportInput): SqlQuery {
  const parts = setFilters(p).map((f) => {
    const col = fragment(`m."${f.column}"`);
    if (f.value === NONE && (f.dim === "team" || f.dim === "agent" || f.dim === "category")) return sql`${col} IS NULL`;
    return f.dim === "channel" || f.dim === "priority" ? sql`${col}::text = ${f.value}` : sql`${col} = ${f.value}`;
  });
  return parts.length ? parts.reduce((a, b) => sql`${a} AND ${b}`) : sql`TRUE`;
}

const COLUMNS = fragment(`day, created, "createdHours", done, resolved, "resolutionMsSum", "resolutionHist", "firstResponses",
  "firstResponseMsSum", "firstResponseHist", "frMet", "frBreached", "resMet", "resBreached", "evalHelpful", "evalNotHelpful"`);

/**
 * Rows shaped like ReportDaily's (day and its sums) for the period and filters. `startUtc`/`endUtc`:
 * the period's bounds as instants (its first local midnight, the one after its last day).
 */
export function dailySource(p: ReportInput, startUtc: Date, endUtc: Date): SqlQuery {
  const [f] = setFilters(p);
  if (!f) return sql`SELECT ${COLUMNS} FROM "ReportDaily" WHERE dim = 'all' AND value = '' AND day BETWEEN ${p.from}::date AND ${p.to}::date`;
  if (usesRollup(p)) {
    const value = f.value === NONE && f.dim !== "channel" && f.dim !== "priority" ? "" : f.value;
    return sql`SELECT ${COLUMNS} FROM "ReportDaily" WHERE dim = ${f.dim} AND value = ${value} AND day BETWEEN ${p.from}::date AND ${p.to}::date`;
  }
  const w = (col: string) => fragment(`array_agg(1) FILTER (WHERE e.${col} IS NOT NULL)`);
  const idx = (col: string) => fragment(`array_agg(e.${col}) FILTER (WHERE e.${col} IS NOT NULL)`);
  // Tickets open at some moment of the period (created, answered, resolved, breached or closed in it), or evaluated in it.
  return sql`SELECT e.day, sum(e.created)::int AS created, report_hist(${idx("hour")}, ${w("hour")}, 24) AS "createdHours",
      sum(e.done)::int AS done, sum(e.resolved)::int AS resolved, sum(e.res_ms)::bigint AS "resolutionMsSum",
      report_hist(${idx("res_bucket")}, ${w("res_bucket")}, 60) AS "resolutionHist",
      sum(e.frs)::int AS "firstResponses", sum(e.fr_ms)::bigint AS "firstResponseMsSum",
      report_hist(${idx("fr_bucket")}, ${w("fr_bucket")}, 60) AS "firstResponseHist",
      sum(e.fr_met)::int AS "frMet", sum(e.fr_breached)::int AS "frBreached", sum(e.res_met)::int AS "resMet",
      sum(e.res_breached)::int AS "resBreached", sum(e.eval_yes)::int AS "evalHelpful", sum(e.eval_no)::int AS "evalNotHelpful"
    FROM "TicketMetric" m, LATERAL report_events(m) e
    WHERE ${metricFilters(p)}
      AND (tsrange(m."createdAt", m."doneAt") && tsrange(${startUtc}::timestamp, ${endUtc}::timestamp) OR m."evaluatedDay" BETWEEN ${p.from}::date AND ${p.to}::date)
      AND e.day BETWEEN ${p.from}::date AND ${p.to}::date
    GROUP BY e.day`;
}
