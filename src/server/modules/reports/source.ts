import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import type { ReportInput } from "./period";

/** Up to this many tickets in a period, medians and p90 are computed from every ticket; beyond, from the rollup's histograms. */
export const EXACT_PERCENTILES_MAX = 20_000;

// Where a report's numbers come from.
//
// ReportDaily holds, per local day, the totals of every ticket ("all"), of each value of one
// dimension (team, agent, category, channel, priority) and of each pair of values of two dimensions
// (the ten pairs, "team+agent" … "channel+priority"): with up to two filters a year is at most 366
// rows of it, whatever the number of tickets. A pair's rows a day are at most its tickets that day
// (and at most the pair's combinations: 50 agents × 8 categories is the largest). A full cube
// (day × team × agent × category × channel × priority) would not shrink: it has more cells a day
// than a busy desk has tickets. So three filters or more read the per-ticket rows (TicketMetric)
// instead, mostly from its covering index on the low-cardinality dimensions: the same columns,
// summed on the fly in one pass.
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
 * Rows shaped like ReportDaily's (day and its sums) for the period and filters, plus "resQ" and "frQ":
 * from the per-ticket rows, the exact [median, p90] of the period's resolution and first-response
 * times (null from the rollup, whose percentiles are read apart: durations() in overview.ts).
 */
export function dailySource(p: ReportInput, via: Source): SqlQuery {
  if (via === "rollup") {
    const { dim, value } = rollupKey(p);
    return sql`SELECT ${COLUMNS}, NULL::float8[] AS "resQ", NULL::float8[] AS "frQ" FROM "ReportDaily" WHERE dim = ${dim} AND value = ${value} AND day BETWEEN ${p.from}::date AND ${p.to}::date`;
  }
  const inPeriod = (col: string) => sql`${fragment(`"${col}"`)} BETWEEN ${p.from}::date AND ${p.to}::date`;
  const n = (kind: string, i?: number) => fragment(`coalesce(sum(n) FILTER (WHERE k = '${kind}'${i ? ` AND i = ${i}` : ""}), 0)::int`);
  const hist = (kind: string, size: number) => fragment(`report_hist(array_agg(i) FILTER (WHERE k = '${kind}'), array_agg(n) FILTER (WHERE k = '${kind}'), ${size})`);
  // The filtered tickets with any event in the period, read once (the least of their event days up to
  // its end, the greatest from its start: a superset of them, whatever order the events came in; the
  // exact ones are picked per kind below). The columns read are those of TicketMetric's covering
  // index on the low-cardinality dimensions, so with channel and priority (and team) among the filters
  // the rows come from a few contiguous index pages, not one heap page per ticket. Then every kind of
  // event counted per day (and per hour, duration bucket or outcome) in ONE pass over those rows (one
  // grouping set per kind, hashed together), and the counts folded into one row a day: the same sums as
  // report_events() gives the rollup. The exact medians and p90 (up to EXACT_PERCENTILES_MAX events)
  // come from the same rows (columns "resQ", "frQ": the same on every row) instead of another visit of
  // every matching ticket. At a million tickets, team + channel + priority over a year (29,660
  // tickets): ~45 ms warm, against ~90 ms for a sort per kind and ~280 ms for the heap pages.
  const days = fragment(`"createdDay", "doneDay", "resolvedDay", "firstResponseDay", "frOutcomeDay", "resOutcomeDay", "evaluatedDay"`);
  const kind = fragment(`CASE WHEN GROUPING("createdDay") = 0 THEN 'created' WHEN GROUPING("doneDay") = 0 THEN 'done'
        WHEN GROUPING("resolvedDay") = 0 THEN 'res' WHEN GROUPING("firstResponseDay") = 0 THEN 'fr' WHEN GROUPING("frOutcomeDay") = 0 THEN 'fro'
        WHEN GROUPING("resOutcomeDay") = 0 THEN 'reso' ELSE 'eval' END`);
  // Channel and priority lead that index: when one is not filtered, "any of its values" (they are
  // never null) lets the index seek the filtered team and category under each of them (3-4 descents)
  // instead of reading all of it or one heap page per ticket (team + category + priority over a year:
  // ~1 ms instead of ~200 ms).
  const anyChannel = p.channel ? fragment("") : fragment(` AND m.channel = ANY (enum_range(NULL::"Channel"))`);
  const anyPriority = p.priority ? fragment("") : fragment(` AND m.priority = ANY (enum_range(NULL::"Priority"))`);
  const exactMax = (k: string) => sql`(SELECT coalesce(sum(n), 0) FROM ev WHERE k = ${k}) <= ${EXACT_PERCENTILES_MAX}`;
  return sql`WITH m AS MATERIALIZED (
      SELECT m."createdDay", m."createdHour", m."doneDay", m."resolvedDay", m."resolutionMs", m."firstResponseDay", m."firstResponseMs",
        m."frOutcome", m."frOutcomeDay", m."resOutcome", m."resOutcomeDay", m.helpful, m."evaluatedDay"
      FROM "TicketMetric" m
      WHERE ${metricFilters(p)}${anyChannel}${anyPriority}
        AND least(${days}) <= ${p.to}::date AND greatest(${days}) >= ${p.from}::date
    ), g AS (
      SELECT ${kind} AS k, coalesce(${days}) AS day,
        CASE WHEN GROUPING("createdDay") = 0 THEN "createdHour" + 1 WHEN GROUPING("doneDay") = 0 THEN 0
          WHEN GROUPING("resolvedDay") = 0 THEN report_bucket("resolutionMs") WHEN GROUPING("firstResponseDay") = 0 THEN report_bucket("firstResponseMs")
          WHEN GROUPING("frOutcomeDay") = 0 THEN "frOutcome" WHEN GROUPING("resOutcomeDay") = 0 THEN "resOutcome"
          WHEN helpful THEN 1 ELSE 2 END AS i,
        GROUPING(helpful) = 0 AND helpful IS NULL AS "noVote",
        count(*)::int AS n, sum("resolutionMs") AS "resMs", sum("firstResponseMs") AS "frMs"
      FROM m
      GROUP BY GROUPING SETS (("createdDay", "createdHour"), ("doneDay"), ("resolvedDay", report_bucket("resolutionMs")),
        ("firstResponseDay", report_bucket("firstResponseMs")), ("frOutcomeDay", "frOutcome"), ("resOutcomeDay", "resOutcome"), ("evaluatedDay", helpful))
    ), ev AS (
      SELECT k, day, i, n, CASE k WHEN 'res' THEN "resMs" WHEN 'fr' THEN "frMs" ELSE 0 END AS ms FROM g
      WHERE day BETWEEN ${p.from}::date AND ${p.to}::date AND NOT "noVote"
    ), q AS (
      SELECT (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY "resolutionMs") FROM m WHERE ${inPeriod("resolvedDay")} AND ${exactMax("res")}) AS "resQ",
        (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY "firstResponseMs") FROM m WHERE ${inPeriod("firstResponseDay")} AND ${exactMax("fr")}) AS "frQ"
    )
    SELECT day, ${n("created")} AS created, ${hist("created", 24)} AS "createdHours", ${n("done")} AS done,
      ${n("res")} AS resolved, coalesce(sum(ms) FILTER (WHERE k = 'res'), 0)::bigint AS "resolutionMsSum", ${hist("res", 60)} AS "resolutionHist",
      ${n("fr")} AS "firstResponses", coalesce(sum(ms) FILTER (WHERE k = 'fr'), 0)::bigint AS "firstResponseMsSum", ${hist("fr", 60)} AS "firstResponseHist",
      ${n("fro", 1)} AS "frMet", ${n("fro", 2)} AS "frBreached", ${n("reso", 1)} AS "resMet", ${n("reso", 2)} AS "resBreached",
      ${n("eval", 1)} AS "evalHelpful", ${n("eval", 2)} AS "evalNotHelpful", (SELECT "resQ" FROM q) AS "resQ", (SELECT "frQ" FROM q) AS "frQ"
    FROM ev GROUP BY day`;
}
