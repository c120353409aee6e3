import { sqlOf, type Db } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import type { ReportOverview } from "~/shared/schemas/reports";
import type { Deps } from "../deps";
import { BUCKETS, percentileFromHistogram } from "./buckets";
import { addDays, daysOf, localMidnight, reportInput, type ReportInput } from "./period";
import { backlogSource, dailySource, EXACT_PERCENTILES_MAX, metricFilters, usesRollup, type Source } from "./source";

export { EXACT_PERCENTILES_MAX };


interface DayRow {
  day: string;
  created: number;
  createdHours: number[] | null;
  done: number;
  resolved: number;
  resolutionMsSum: string;
  resolutionHist: number[] | null;
  firstResponses: number;
  firstResponseMsSum: string;
  firstResponseHist: number[] | null;
  frMet: number;
  frBreached: number;
  resMet: number;
  resBreached: number;
  evalHelpful: number;
  evalNotHelpful: number;
  resQ: number[] | null;
  frQ: number[] | null;
}

/** The desk's zone the report days are counted in (ReportSettings, set from the default business calendar). */
export async function reportZone(db: Db): Promise<string> {
  const { rows } = await sqlOf(db).query<{ tz: string }>(sql`SELECT report_zone() AS tz`);
  return rows[0]!.tz;
}

/** Folds the changes made since the last read into the rollup, so a report shows every committed write. */
export async function foldPending(db: Db): Promise<void> {
  await sqlOf(db).query(sql`SELECT report_fold()`);
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

function addInto(total: number[], part: number[] | null) {
  if (part) for (let i = 0; i < part.length; i++) total[i] = (total[i] ?? 0) + (part[i] ?? 0);
}

/**
 * Every report of /admin/reports for one period and set of filters. `via` forces the per-ticket rows
 * (the tests compare both sources on one fixture); by default the rollup serves up to two filters.
 */
export async function reportOverview(deps: Pick<Deps, "db">, raw: unknown, via?: Source): Promise<ReportOverview> {
  const p = reportInput.parse(raw);
  const source: Source = via ?? (usesRollup(p) ? "rollup" : "tickets");
  const db = sqlOf(deps.db);
  const [timeZone] = await Promise.all([reportZone(deps.db), foldPending(deps.db)]);
  const startUtc = localMidnight(p.from, timeZone);
  const endUtc = localMidnight(addDays(p.to, 1), timeZone);
  const filters = metricFilters(p);

  const [daily, backlog, comments, kb] = await Promise.all([
    db.query<DayRow>(sql`SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.created, s."createdHours", s.done, s.resolved, s."resolutionMsSum"::text AS "resolutionMsSum",
        s."resolutionHist", s."firstResponses", s."firstResponseMsSum"::text AS "firstResponseMsSum", s."firstResponseHist", s."frMet", s."frBreached",
        s."resMet", s."resBreached", s."evalHelpful", s."evalNotHelpful", s."resQ", s."frQ"
      FROM (${dailySource(p, source)}) s ORDER BY s.day`),
    // Open when the period starts: created before it, not done by then.
    db.query<{ n: number }>(backlogSource(p, startUtc, source)),
    // The latest 20 comments: the newest entries of TicketMetric's comment index (per filter), then their rows.
    db.query<{ number: number; subject: string; helpful: boolean; comment: string; at: Date }>(sql`
      SELECT t.number, t.subject, e.helpful, e.comment, e."updatedAt" AS at
      FROM (SELECT m."ticketId", m."commentAt" FROM "TicketMetric" m
        WHERE m."commentAt" >= ${startUtc} AND m."commentAt" < ${endUtc} AND ${filters}
        ORDER BY m."commentAt" DESC, m."ticketId" DESC LIMIT 20) c
      JOIN "TicketEvaluation" e ON e."ticketId" = c."ticketId" JOIN "Ticket" t ON t.id = c."ticketId"
      ORDER BY c."commentAt" DESC, c."ticketId" DESC`),
    kbReport(deps.db, p.from, p.to),
  ]);

  const byDay = new Map(daily.rows.map((r) => [r.day, r]));
  let open = backlog.rows[0]!.n;
  const volume = daysOf(p.from, p.to).map((day) => {
    const r = byDay.get(day);
    open += (r?.created ?? 0) - (r?.done ?? 0);
    return { day, created: r?.created ?? 0, solved: r?.resolved ?? 0, backlog: open };
  });

  const sum = (k: "created" | "resolved" | "firstResponses" | "frMet" | "frBreached" | "resMet" | "resBreached" | "evalHelpful" | "evalNotHelpful") =>
    daily.rows.reduce((n, r) => n + r[k], 0);
  const hours = new Array<number>(24 * 7).fill(0);
  const frHist = new Array<number>(BUCKETS).fill(0);
  const resHist = new Array<number>(BUCKETS).fill(0);
  let frMs = 0;
  let resMs = 0;
  for (const r of daily.rows) {
    const weekday = new Date(`${r.day}T00:00:00Z`).getUTCDay() || 7;
    if (r.createdHours) r.createdHours.forEach((c, h) => (hours[(weekday - 1) * 24 + h]! += c));
    addInto(frHist, r.firstResponseHist);
    addInto(resHist, r.resolutionHist);
    frMs += Number(r.firstResponseMsSum);
    resMs += Number(r.resolutionMsSum);
  }

  const frCount = sum("firstResponses");
  const resCount = sum("resolved");
  const [firstResponse, resolution] = await Promise.all([
    durations(deps.db, p, "firstResponse", frCount, frMs, frHist, source === "tickets" ? (daily.rows[0]?.frQ ?? null) : undefined),
    durations(deps.db, p, "resolution", resCount, resMs, resHist, source === "tickets" ? (daily.rows[0]?.resQ ?? null) : undefined),
  ]);
  const helpful = sum("evalHelpful");
  const notHelpful = sum("evalNotHelpful");
  const frMet = sum("frMet");
  const frBreached = sum("frBreached");
  const resMet = sum("resMet");
  const resBreached = sum("resBreached");

  return {
    timeZone,
    from: p.from,
    to: p.to,
    source,
    volume,
    totals: { created: sum("created"), solved: resCount, backlogStart: backlog.rows[0]!.n, backlogEnd: open },
    times: { firstResponse, resolution },
    sla: [
      { target: "firstResponse", met: frMet, breached: frBreached, percent: percent(frMet, frMet + frBreached) },
      { target: "resolution", met: resMet, breached: resBreached, percent: percent(resMet, resMet + resBreached) },
    ],
    evaluations: { helpful, notHelpful, percent: percent(helpful, helpful + notHelpful), comments: comments.rows },
    kb,
    hours: hours.map((count, i) => ({ weekday: Math.floor(i / 24) + 1, hour: i % 24, count })),
  };
}

/**
 * Median and p90 (interpolated between ranks, as percentile_cont): exact from TicketMetric for a modest
 * count, else from the histogram. `exact`: those already computed in the same pass as the per-ticket rows.
 */
async function durations(db: Db, p: ReportInput, kind: "firstResponse" | "resolution", count: number, sumMs: number, hist: number[], exact?: number[] | null) {
  const meanMs = count > 0 ? Math.round(sumMs / count) : null;
  if (count === 0) return { count, meanMs, medianMs: null, p90Ms: null, exact: true };
  if (count > EXACT_PERCENTILES_MAX) {
    return { count, meanMs, medianMs: percentileFromHistogram(hist, 0.5), p90Ms: percentileFromHistogram(hist, 0.9), exact: false };
  }
  if (exact !== undefined) {
    const [median, p90] = exact ?? [null, null];
    return { count, meanMs, medianMs: median == null ? null : Math.round(median), p90Ms: p90 == null ? null : Math.round(p90), exact: true };
  }
  const q =
    kind === "resolution"
      ? sql`SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY m."resolutionMs") AS q FROM "TicketMetric" m
          WHERE m."resolvedDay" BETWEEN ${p.from}::date AND ${p.to}::date AND ${metricFilters(p)}`
      : sql`SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY m."firstResponseMs") AS q FROM "TicketMetric" m
          WHERE m."firstResponseDay" BETWEEN ${p.from}::date AND ${p.to}::date AND ${metricFilters(p)}`;
  const { rows } = await sqlOf(db).query<{ q: number[] | null }>(q);
  const [median, p90] = rows[0]?.q ?? [null, null];
  return { count, meanMs, medianMs: median == null ? null : Math.round(median), p90Ms: p90 == null ? null : Math.round(p90), exact: true };
}

/** The knowledge base over the period, from its daily rollup (no ticket filter applies: a deflection is a ticket never opened). */
async function kbReport(deps: Db, from: string, to: string): Promise<ReportOverview["kb"]> {
  const db = sqlOf(deps);
  const [deflections, helpfulness] = await Promise.all([
    db.query<{ title: string; slug: string; language: string; count: number }>(sql`
      SELECT a.title, a.slug, a.language, sum(k.deflections)::int AS count FROM "ReportKbDaily" k JOIN "Article" a ON a.id = k."articleId"
      WHERE k.day BETWEEN ${from}::date AND ${to}::date
      GROUP BY a.id HAVING sum(k.deflections) > 0 ORDER BY sum(k.deflections) DESC, a.title, a.id`),
    db.query<{ title: string; slug: string; language: string; helpful: number; notHelpful: number }>(sql`
      SELECT a.title, a.slug, a.language, sum(k.helpful)::int AS helpful, sum(k."notHelpful")::int AS "notHelpful"
      FROM "ReportKbDaily" k JOIN "Article" a ON a.id = k."articleId"
      WHERE k.day BETWEEN ${from}::date AND ${to}::date
      GROUP BY a.id HAVING sum(k.helpful + k."notHelpful") > 0 ORDER BY sum(k.helpful + k."notHelpful") DESC, a.title, a.id LIMIT 20`),
  ]);
  return {
    deflections: deflections.rows.reduce((n, r) => n + r.count, 0),
    deflectionsByArticle: deflections.rows.slice(0, 20),
    helpfulness: helpfulness.rows.map((r) => ({ ...r, percent: percent(r.helpful, r.helpful + r.notHelpful) ?? 0 })),
  };
}
