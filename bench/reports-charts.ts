// `npm run bench:reports:charts`: /admin/reports at scale (issue 16 item 4). N tickets (default a
// million, one message each) over the past year, with evaluations, knowledge-base deflections and
// article feedback, seeded with SQL (bench/support/db.ts, as bench:queue), then the reports' backfill
// (report_rebuild(), the migration's own) timed, then every report of the page (reportOverview: the
// volume, times, SLA, evaluations, knowledge base and busiest-hours queries together, as the page
// asks for them) and a CSV, for a year and for a month, with no filter, each single filter and two
// pairs of filters (the rollup) and three filters (the per-ticket rows), timed server-side over
// repeated calls. Goal: p95 < 200 ms. Last, what the triggers cost a ticket write and what folding
// those writes costs a read.
// Flags: --help. Results: bench/results/reports-charts-<date>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { createDb } from "~/server/db/client";
import { migrate } from "~/server/db/migrate";
import { reportOverview } from "~/server/modules/reports/overview";
import { addDays, localDay } from "~/server/modules/reports/period";
import { reportCsv } from "~/server/modules/reports/report-csv";
import { agentId, prepareWorkload } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { gitCommit } from "./support/git";
import { now } from "./support/protocol";
import { fmtMs, summarize, table, type Summary } from "./support/stats";

const GOAL_P95_MS = 200;

const DEFAULTS = {
  tickets: 1_000_000,
  agents: 50,
  "customer-pool": 20_000,
  "evaluated-share": 0.3, // of the resolved and closed tickets
  deflections: 50_000,
  feedback: 50_000,
  articles: 60,
  iterations: 30, // timed calls per case
  warmup: 3,
  writes: 500, // single-ticket writes timed with the triggers
  timeout: 3600,
};
type Flags = typeof DEFAULTS & { out?: string; only?: string; "keep-data": boolean; rebuild: boolean; "no-messages": boolean; strict: boolean };

const flags: Flags = parseBenchFlags(process.argv.slice(2), {
  defaults: DEFAULTS,
  switches: ["keep-data", "rebuild", "no-messages", "strict"] as const,
  strings: ["out", "only"] as const,
  usage: "npm run bench:reports:charts -- [--flag=value …]",
  help:
    `  --out=bench/results/reports-charts-<date>.json\n` +
    `  --only=TEXT    time only the cases whose "period · name" contains TEXT (case-insensitive; e.g. "year · team +", "per ticket")\n` +
    `  --keep-data    reuse the tickets already in the bench database instead of reseeding (pending migrations are applied)\n` +
    `  --rebuild      with --keep-data: time report_rebuild() again (the reports' tables from the tickets and the KB)\n` +
    `  --no-messages  tickets without their first message (faster seeding; the reports never read messages)\n` +
    `  --strict       exit 1 when a case misses the goal (p95 < ${GOAL_P95_MS} ms)`,
});

const DATABASE_URL = process.env.BENCH_REPORTS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_reports";
assertLoopback(DATABASE_URL);

const t0Run = now();
const log = (line: string) => process.stderr.write(`[bench ${((now() - t0Run) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

async function main() {
  const watchdog = setTimeout(() => {
    log(`timeout after ${flags.timeout} s`);
    process.exit(2);
  }, flags.timeout * 1000);
  watchdog.unref();

  const pgMod = await import("pg");
  let client: InstanceType<typeof pgMod.default.Client>;
  let seedMs = 0;
  let rebuildMs = 0;
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  log(`load average before: ${loadBefore.join(" ")}`);
  if (flags["keep-data"]) {
    const applied = await migrate(DATABASE_URL);
    if (applied.length) log(`migrations applied to the kept data: ${applied.join(", ")}`);
    client = new pgMod.default.Client({ connectionString: DATABASE_URL });
    await client.connect();
    if (flags.rebuild) {
      const t = now();
      const { rows } = await client.query<{ n: string }>(`SELECT report_rebuild() AS n`);
      rebuildMs = now() - t;
      log(`report_rebuild(): ${rows[0]!.n} tickets' metrics and the rollups in ${(rebuildMs / 1000).toFixed(1)} s`);
      await client.query(`VACUUM ANALYZE "TicketMetric"`);
      await client.query(`VACUUM ANALYZE "ReportDaily"`);
      await client.query(`VACUUM ANALYZE "ReportKbDaily"`);
    }
  } else {
    ({ client, seedMs } = await prepareWorkload(
      DATABASE_URL,
      { agents: flags.agents, customers: flags["customer-pool"], tickets: flags.tickets, mix: { staleShare: 0.02, messages: !flags["no-messages"] } },
      log,
    ));
    let t = now();
    await seedExtras(client);
    log(`evaluations, articles, deflections and feedback seeded in ${((now() - t) / 1000).toFixed(1)} s`);
    // The tickets went in with triggers off (as a restore or an import would): the backfill builds the reports' tables.
    t = now();
    const { rows } = await client.query<{ n: string }>(`SELECT report_rebuild() AS n`);
    rebuildMs = now() - t;
    log(`report_rebuild(): ${rows[0]!.n} tickets' metrics and the rollup in ${(rebuildMs / 1000).toFixed(1)} s`);
    await client.query(`VACUUM ANALYZE "TicketMetric"`);
    await client.query(`VACUUM ANALYZE "ReportDaily"`);
    await client.query(`VACUUM ANALYZE "TicketEvaluation"`);
    await client.query(`VACUUM ANALYZE "ReportKbDaily"`);
  }
  const counts = (
    await client.query<{ tickets: number; metrics: number; rollup: number; rollupPairs: number; kbRollup: number; evaluations: number; deflections: number; feedback: number }>(`SELECT
      (SELECT count(*)::int FROM "Ticket") AS tickets, (SELECT count(*)::int FROM "TicketMetric") AS metrics,
      (SELECT count(*)::int FROM "ReportDaily") AS rollup, (SELECT count(*)::int FROM "ReportDaily" WHERE dim LIKE '%+%') AS "rollupPairs",
      (SELECT count(*)::int FROM "ReportKbDaily") AS "kbRollup", (SELECT count(*)::int FROM "TicketEvaluation") AS evaluations,
      (SELECT count(*)::int FROM "KbDeflection") AS deflections, (SELECT count(*)::int FROM "ArticleFeedback") AS feedback`)
  ).rows[0]!;
  log(`${JSON.stringify(counts)}`);

  const db = createDb(DATABASE_URL);
  const deps = { db };
  const zone = (await client.query<{ tz: string }>(`SELECT report_zone() AS tz`)).rows[0]!.tz;
  const today = localDay(new Date(), zone);
  const periods = { year: { from: addDays(today, -364), to: today }, month: { from: addDays(today, -29), to: today } };
  const filters: [string, Record<string, string>][] = [
    ["no filter", {}],
    ["team", { teamId: "bench-team-2" }],
    ["agent", { agentId: agentId(7) }],
    ["category", { categoryId: "bench-cat-3" }],
    ["channel PHONE", { channel: "PHONE" }],
    ["priority HIGH", { priority: "HIGH" }],
    ["team + channel (pairs)", { teamId: "bench-team-2", channel: "EMAIL" }],
    ["agent + priority (pairs)", { agentId: agentId(7), priority: "HIGH" }],
    ["team + channel + priority (per ticket)", { teamId: "bench-team-2", channel: "EMAIL", priority: "MEDIUM" }],
    ["agent + category + channel (per ticket)", { agentId: agentId(7), categoryId: "bench-cat-3", channel: "PORTAL" }],
    ["team + category + priority (per ticket)", { teamId: "bench-team-2", categoryId: "bench-cat-3", priority: "HIGH" }],
    ["team + category + channel + priority (per ticket)", { teamId: "bench-team-2", categoryId: "bench-cat-3", channel: "PHONE", priority: "HIGH" }],
  ];
  const cases: { period: string; name: string; run: () => Promise<unknown> }[] = [];
  for (const [pname, p] of Object.entries(periods)) {
    for (const [fname, f] of filters) cases.push({ period: pname, name: fname, run: () => reportOverview(deps, { ...p, ...f }) });
    cases.push({ period: pname, name: "CSV volume (no filter)", run: () => reportCsv(deps, "volume", p, "es") });
  }

  if (flags.only) {
    const only = flags.only.toLowerCase();
    cases.splice(0, cases.length, ...cases.filter((c) => `${c.period} · ${c.name}`.toLowerCase().includes(only)));
    log(`--only=${flags.only}: ${cases.length} cases`);
  }
  const results: { period: string; name: string; source?: string; exactPercentiles?: boolean; summary: Summary }[] = [];
  for (const c of cases) {
    for (let i = 0; i < flags.warmup; i++) await c.run();
    const ms: number[] = [];
    let last: unknown;
    for (let i = 0; i < flags.iterations; i++) {
      const t = now();
      last = await c.run();
      ms.push(now() - t);
    }
    const r = last as { source?: string; times?: { resolution: { exact: boolean } } };
    const entry = { period: c.period, name: c.name, source: r.source, exactPercentiles: r.times?.resolution.exact, summary: summarize(ms) };
    results.push(entry);
    log(`${c.period} · ${c.name}: p50 ${fmtMs(entry.summary.p50)} p95 ${fmtMs(entry.summary.p95)} p99 ${fmtMs(entry.summary.p99)}`);
  }

  // The write side: single-ticket updates (each its own transaction, as the app's), then the fold a read does.
  const writeMs: number[] = [];
  const { rows: sample } = await client.query<{ id: string }>(`SELECT id FROM "Ticket" WHERE status = 'OPEN' ORDER BY "createdAt" DESC LIMIT $1`, [flags.writes]);
  for (const { id } of sample) {
    const t = now();
    await client.query(`UPDATE "Ticket" SET status = 'IN_PROGRESS', "firstResponseAt" = coalesce("firstResponseAt", now() AT TIME ZONE 'UTC'), "updatedAt" = now() AT TIME ZONE 'UTC' WHERE id = $1`, [id]);
    writeMs.push(now() - t);
  }
  const pending = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "ReportDelta"`)).rows[0]!.n);
  let t = now();
  await client.query(`SELECT report_fold()`);
  const foldMs = now() - t;
  t = now();
  await client.query(`SELECT report_fold()`);
  const emptyFoldMs = now() - t;
  const writes = { updates: sample.length, updateWithTriggers: summarize(writeMs), deltasFolded: pending, foldMs: Math.round(foldMs * 10) / 10, emptyFoldMs: Math.round(emptyFoldMs * 100) / 100 };
  log(`writes: ${JSON.stringify(writes)}`);
  // After those writes and the fold, the rollup still agrees with the per-ticket rows, and those with the tickets.
  const consistency = (
    await client.query<{ rollupCreated: number; rollupResolved: number; rollupDone: number; metrics: number; resolved: number; done: number; dimsAgree: boolean; staleMetrics: number; kbAgrees: boolean }>(`SELECT
      (SELECT sum(created)::int FROM "ReportDaily" WHERE dim = 'all') AS "rollupCreated",
      (SELECT sum(resolved)::int FROM "ReportDaily" WHERE dim = 'all') AS "rollupResolved",
      (SELECT sum(done)::int FROM "ReportDaily" WHERE dim = 'all') AS "rollupDone",
      (SELECT count(*)::int FROM "TicketMetric") AS metrics, (SELECT count("resolvedAt")::int FROM "TicketMetric") AS resolved,
      (SELECT count("doneAt")::int FROM "TicketMetric") AS done,
      (SELECT count(DISTINCT (c, r, d)) = 1 FROM (SELECT dim, sum(created) c, sum(resolved) r, sum(done) d FROM "ReportDaily" GROUP BY dim) x) AS "dimsAgree",
      (SELECT count(*)::int FROM "TicketMetric" m JOIN "ReportTicketSource" s USING ("ticketId") WHERE ROW(m.*) IS DISTINCT FROM ROW(s.*)) AS "staleMetrics",
      (SELECT sum(deflections)::int FROM "ReportKbDaily") = (SELECT count(*)::int FROM "KbDeflection")
        AND (SELECT sum(helpful + "notHelpful")::int FROM "ReportKbDaily") = (SELECT count(*)::int FROM "ArticleFeedback") AS "kbAgrees"`)
  ).rows[0]!;
  log(`consistency: ${JSON.stringify(consistency)}`);

  const missed = results.filter((r) => r.summary.p95 >= GOAL_P95_MS);
  console.log(
    table(
      ["period", "case", "source", "exact p.", "p50", "p95", "p99", "max", `p95 < ${GOAL_P95_MS} ms`],
      results.map((r) => [r.period, r.name, r.source ?? "-", r.exactPercentiles === undefined ? "-" : r.exactPercentiles ? "yes" : "hist", fmtMs(r.summary.p50), fmtMs(r.summary.p95), fmtMs(r.summary.p99), fmtMs(r.summary.max), r.summary.p95 < GOAL_P95_MS ? "yes" : "NO"]),
    ),
  );
  console.log(`\n${counts.tickets} tickets, ${counts.rollup} rollup rows; ${results.length - missed.length}/${results.length} cases meet p95 < ${GOAL_P95_MS} ms.`);
  const out = flags.out ?? path.join("bench", "results", `reports-charts-${new Date().toISOString().slice(0, 10)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), commit: gitCommit(process.cwd()), flags, loadAverageBefore: loadBefore, counts, seedSeconds: Math.round(seedMs / 100) / 10, rebuildSeconds: Math.round(rebuildMs / 100) / 10, goalP95Ms: GOAL_P95_MS, cases: results, writes, consistency }, null, 2)}\n`,
  );
  log(`results saved to ${out}`);
  await db.$disconnect();
  await client.end();
  if (flags.strict && missed.length) process.exit(1);
}

/** Evaluations on a share of the solved tickets, KB articles with deflections and feedback over the year; triggers off (the rebuild counts them). */
async function seedExtras(client: { query: (text: string, values?: unknown[]) => Promise<unknown> }) {
  await client.query("SELECT setseed(0.17)");
  await client.query("SET session_replication_role = replica");
  await client.query(
    `INSERT INTO "TicketEvaluation" (id, "ticketId", helpful, comment, "agentId", "createdAt", "updatedAt")
     SELECT 'bench-e-' || substr(t.id, 9), t.id, r < 0.8, CASE WHEN r < 0.1 THEN 'Muy rápido, gracias' WHEN r > 0.95 THEN '=no me sirvió' END,
            t."assigneeId", t."resolvedAt" + interval '2 hours', t."resolvedAt" + interval '2 hours'
     FROM (SELECT t.*, random() AS r, random() AS pick FROM "Ticket" t WHERE t."resolvedAt" IS NOT NULL) t WHERE t.pick < $1`,
    [flags["evaluated-share"]],
  );
  await client.query(
    `INSERT INTO "Article" (id, slug, language, "translationKey", title, "bodyMarkdown", tags, state, "updatedAt", "publishedAt")
     SELECT 'bench-a-' || g, 'articulo-' || g, 'es', 'bench-a-' || g, 'Artículo ' || g, 'Texto', '{}', 'PUBLISHED', now(), now() FROM generate_series(1, $1::int) g`,
    [flags.articles],
  );
  await client.query(
    `INSERT INTO "KbDeflection" (id, "articleId", "userId", "draftId", "createdAt")
     SELECT 'bench-d-' || g, 'bench-a-' || (1 + (g * 7) % $2::int), 'bench-cust-' || lpad((1 + g % 20000)::text, 5, '0'), 'draft-' || g,
            (now() AT TIME ZONE 'UTC') - random() * interval '365 days'
     FROM generate_series(1, $1::int) g`,
    [flags.deflections, flags.articles],
  );
  await client.query(
    `INSERT INTO "ArticleFeedback" (id, "articleId", "visitorKey", helpful, reasons, "createdAt")
     SELECT 'bench-f-' || g, 'bench-a-' || (1 + (g * 11) % $2::int), 'visitor-' || g, random() < 0.7, '{}', (now() AT TIME ZONE 'UTC') - random() * interval '365 days'
     FROM generate_series(1, $1::int) g`,
    [flags.feedback, flags.articles],
  );
  await client.query("SET session_replication_role = DEFAULT");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
