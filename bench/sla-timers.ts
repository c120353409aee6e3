// `npm run bench:sla`: the SLA timers at scale.
//
//   1. timers: `--timers` tickets (default 100,000) whose next SLA event (80% warnings, 20% breaches)
//      falls within a `--window` of seconds starting `--lead` seconds from now, each given its timer
//      by the app's own scheduler (one deduplicated BullMQ delayed job per ticket); one worker fires
//      them through the real handler (fireSlaEvents: conditional UPDATE, history entries, breach
//      mails staged, the next timer scheduled). Lateness = when the handler started − the event's
//      instant, and when its change had committed − the event's instant.
//   2. reconciler: `--scan-tickets` tickets (default 1,000,000, generate_series) of which
//      `--scan-due` have an event due and no timer (lost with Redis): the reconciler's indexed scan,
//      then a whole sweep firing all of them.
//
// Its own database (ventanilla_bench_sla, emptied) and Redis prefix (vt-bench-sla). See
// bench/README.md ("npm run bench:sla"). `runSlaTimerBench(opts)` is what bench/queue.ts calls.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type pg from "pg";
import { bullPrefix } from "~/server/adapters/bullmq/notifications-queue";
import { PreciseDelayWorker } from "~/server/adapters/bullmq/precise-worker";
import { createSlaQueue, slaTimerScheduler, SLA_POOL_MIN, SLA_POOL_SIZE, SLA_QUEUE, SLA_WORKER_CONCURRENCY, type SlaJob } from "~/server/adapters/bullmq/sla-queue";
import { systemClock } from "~/server/clock";
import { createDb, type Db } from "~/server/db/client";
import type { Deps } from "~/server/modules/deps";
import type { DomainEvent } from "~/server/modules/events";
import { fixedSettingsSource, siteDefaults } from "~/server/modules/settings/live-settings";
import { pgSearchEngine } from "~/server/modules/kb/search/pg-engine";
import { createRateLimits } from "~/server/modules/security/rate-limit";
import { fixedSla } from "~/server/modules/sla/policy";
import { seedSlaSettings } from "~/server/modules/sla/seed-calendar";
import { dueSlaTickets, fireDueSlaEvents } from "~/server/modules/sla/timers";
import { silentLogger } from "~/server/observability/logger";
import { slaJobHandler } from "../workers/sla-handler";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { Redis } from "ioredis";
import { prepareDatabase, seedPeople } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { clearRedisPrefix } from "./support/local";
import { fmtMs, summarize, table, type Summary } from "./support/stats";
import { gitCommit } from "./support/git";
import { postgresLogBetween, startStallSampler, type StallSample } from "./support/stall-sampler";

const ROOT = path.resolve(import.meta.dirname, "..");
export const SLA_LATENESS_P99_TARGET_MS = 50;
export const SLA_SCAN_TARGET_MS = 10_000;

export interface SlaTimerBenchOptions {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Pending timers, and the window (ms) their instants are spread over, starting `leadMs` from now. */
  timers: number;
  windowMs: number;
  leadMs: number;
  /** Jobs the worker runs at once (and its database pool). */
  concurrency: number;
  /** Tickets in the reconciler's table, and how many of them have an event due with no timer. */
  scanTickets: number;
  scanDue: number;
  /** Time the timers alone: the worker records when each fires and applies nothing. */
  timersOnly: boolean;
  log: (line: string) => void;
}

export const SLA_BENCH_DEFAULTS = {
  timers: 100_000,
  window: 60, // seconds
  lead: 45, // seconds to schedule every timer before the first is due
  concurrency: SLA_WORKER_CONCURRENCY,
  "scan-tickets": 1_000_000,
  "scan-due": 2_000,
  timeout: 1800,
};

const WARM_AFTER_MS = 30_000;

/** The lateness of the events due after the first WARM_AFTER_MS of the window. */
function warm(at: number[], late: number[]): number[] {
  const first = at.reduce((m, a) => Math.min(m, a), Infinity);
  return late.filter((_, i) => at[i]! - first >= WARM_AFTER_MS);
}

/** Lateness grouped by the second (from the first event's instant) each event was due in; the five worst. */
function worstSeconds(at: number[], late: number[]): SlaTimerBenchResult["timers"]["worstSeconds"] {
  const first = at.reduce((m, a) => Math.min(m, a), Infinity);
  const bySecond = new Map<number, { second: number; events: number; late50: number; maxLateMs: number }>();
  at.forEach((a, i) => {
    const second = Math.floor((a - first) / 1000);
    const s = bySecond.get(second) ?? { second, events: 0, late50: 0, maxLateMs: 0 };
    s.events++;
    if (late[i]! > 50) s.late50++;
    s.maxLateMs = Math.max(s.maxLateMs, Math.round(late[i]!));
    bySecond.set(second, s);
  });
  return [...bySecond.values()].sort((a, b) => b.late50 - a.late50 || b.maxLateMs - a.maxLateMs).slice(0, 5);
}

export interface SlaTimerBenchResult {
  timers: {
    n: number;
    windowMs: number;
    scheduleMs: number;
    /** Timers scheduled after their instant had passed (the lead was too short): counted late. */
    scheduledLate: number;
    /** Handler start − the event's instant (ms). */
    firedLateness: Summary;
    /** Commit of the handler's change − the event's instant (ms). */
    appliedLateness: Summary;
    throughputPerS: number;
    /** The seconds of the run (by the events' instants, from the first) whose timers fired latest: where a stall was. */
    /** Handler start − instant for the events due after the worker's first 30 s (a cold worker builds a backlog first). */
    firedLatenessWarm: Summary;
    worstSeconds: Array<{ second: number; events: number; late50: number; maxLateMs: number }>;
    /** CPU per timer fired (ms), from scheduling done to the last fired: the database's backends, and this process (handler, BullMQ, the bench's own bookkeeping). */
    cpuPerTimerMs: { postgres: number; node: number };
    /** Each event recorded once: history entries written / timers. */
    eventsRecorded: number;
    breachMailsStaged: number;
    /** What the worker's process and database were doing around the worst seconds (250 ms samples), and PostgreSQL's log lines of the window. */
    aroundWorst: StallSample[];
    /** The first event's instant (ISO), second 0 of `worstSeconds`. */
    windowStart: string;
    postgresLog: string[];
  };
  reconciler: {
    tickets: number;
    due: number;
    seedMs: number;
    /** One scan of 500 due tickets (what each sweep batch runs), over repetitions. */
    scanBatch: Summary;
    /** The plan of that scan. */
    scanPlan: string;
    /** Counting every due ticket (the whole backlog) through the same index. */
    countAllDueMs: number;
    /** A whole sweep: every due ticket fired. */
    sweepMs: number;
    sweepFired: number;
  };
}

const now = () => performance.timeOrigin + performance.now();

// As src/server/redis.ts makes them (that module reads the app's env, which a bench has not).
const producerRedis = (url: string) => new Redis(url, { maxRetriesPerRequest: 2 });
const workerRedis = (url: string) => new Redis(url, { maxRetriesPerRequest: null });

function benchDeps(db: Db, scheduleSlaTimer: Deps["queues"]["scheduleSlaTimer"], events: { n: number }): Deps {
  const mail = { fromAddress: "soporte@bench.test", team: "Bench", publicUrl: "http://127.0.0.1:3000", supportAddresses: ["soporte@bench.test"], reopenWindowHours: 72 };
  return {
    db,
    clock: systemClock,
    bus: { publish: async (_e: DomainEvent) => void events.n++ },
    mail,
    settings: fixedSettingsSource(siteDefaults(mail, "Europe/Madrid")),
    search: pgSearchEngine(db),
    queues: { enqueueEmails: async () => {}, requeueEmail: async () => {}, enqueueInbound: async () => {}, enqueueKbIndex: async () => {}, scheduleAutoClose: async () => {}, scheduleSlaTimer, enqueueWebhookDeliveries: async () => {} },
    store: localBlobStore(path.join(os.tmpdir(), "vt-bench-sla-store")),
    rateLimits: createRateLimits(null, "vt-bench-sla"),
    sla: fixedSla(seedSlaSettings("Europe/Madrid", "ES")),
    secrets: { session: "bench", mailKey: Buffer.alloc(32) },
    webhooks: { targets: { allowPrivate: false, allowedPorts: [], resolve: async () => [] } },
  };
}

/**
 * Tickets 'sla-t-<g>' whose next SLA event is at `first + span·(g−1)/n` (ms since the epoch, UTC):
 * one in five a breach (its warning already sent), the others a warning; assigned to the first 50
 * agents. The sla_outcome trigger derives slaNextAt as for any ticket.
 */
async function insertTimedTickets(client: pg.Client, n: number, firstMs: number, spanMs: number) {
  await client.query(
    `WITH ag AS (SELECT (array_agg(id ORDER BY id))[1:50] AS a FROM "User" WHERE id LIKE 'bench-agent-%'),
          c AS (SELECT (array_agg(id ORDER BY id)) AS a FROM "User" WHERE role = 'CUSTOMER'),
          s AS (SELECT g, (timestamp 'epoch' + ($2::float8 + $3::float8 * (g - 1) / $1::int) * interval '1 millisecond') AS at FROM generate_series(1, $1::int) g)
     INSERT INTO "Ticket" (id, "trackingId", "replyToken", subject, status, priority, channel, "requesterId", "assigneeId", "createdAt", "updatedAt",
       "firstResponseWarnAt", "firstResponseDueAt", "firstResponseWarnedAt", "resolutionWarnAt", "resolutionDueAt")
     SELECT 'sla-t-' || g, 'SLA-' || g, md5('sla-reply' || g), 'Plazo ' || g, 'OPEN', 'MEDIUM', 'PORTAL',
       c.a[1 + g % cardinality(c.a)], ag.a[1 + g % cardinality(ag.a)], at - interval '1 day', at - interval '1 day',
       CASE WHEN g % 5 = 0 THEN at - interval '1 hour' ELSE at END,
       CASE WHEN g % 5 = 0 THEN at ELSE at + interval '1 day' END,
       CASE WHEN g % 5 = 0 THEN at - interval '1 hour' END,
       at + interval '2 days', at + interval '3 days'
     FROM s, ag, c`,
    [n, firstMs, spanMs],
  );
  await client.query(`ANALYZE "Ticket"`);
}

async function timersPhase(o: SlaTimerBenchOptions, client: pg.Client): Promise<SlaTimerBenchResult["timers"]> {
  const log = o.log;
  const first = Date.now() + o.leadMs;
  let t = performance.now();
  await insertTimedTickets(client, o.timers, first, o.windowMs);
  log(`${o.timers} tickets with an SLA event within ${o.windowMs / 1000} s inserted (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  // The workers process's pool (workers/bootstrap.ts).
  const db = createDb(o.databaseUrl, Math.max(SLA_POOL_SIZE, o.concurrency + 4), SLA_POOL_MIN);
  const producer = producerRedis(o.redisUrl);
  const queue = createSlaQueue(producer, o.redisPrefix);
  const schedule = slaTimerScheduler(queue);
  const events = { n: 0 };
  const deps = benchDeps(db, (id, at) => schedule(id, at), events);
  // The workers process's own handler (workers/sla.ts), warmed as startSlaWorker warms it at start.
  const handler = slaJobHandler(deps, silentLogger);
  await handler.warm();
  const dueAt = new Map<string, number>();
  const fired: number[] = [];
  const firedAt: number[] = [];
  const applied: number[] = [];
  let lastApplied = 0;
  let firstFired = Infinity;
  let inFlight = 0;
  let done!: () => void;
  const allDone = new Promise<void>((resolve) => (done = resolve));

  const workerConnection = workerRedis(o.redisUrl);
  // As workers/sla.ts starts it (preciseDelays).
  const worker = new PreciseDelayWorker<SlaJob>(
    SLA_QUEUE,
    async (job) => {
      if (job.data.kind !== "sla") return;
      const start = now();
      const at = dueAt.get(job.data.ticketId);
      inFlight++;
      try {
        if (!o.timersOnly) await handler.handle(job);
      } finally {
        inFlight--;
      }
      // The ticket's next event (days ahead) is scheduled too; only its first, in the window, is timed.
      if (at === undefined) return;
      dueAt.delete(job.data.ticketId);
      const end = now();
      fired.push(start - at);
      firedAt.push(at);
      applied.push(end - at);
      firstFired = Math.min(firstFired, start);
      lastApplied = Math.max(lastApplied, end);
      if (fired.length === o.timers) done();
    },
    { connection: workerConnection, prefix: bullPrefix(o.redisPrefix), concurrency: o.concurrency },
  );
  worker.on("error", (err) => log(`worker error: ${err.message}`));

  try {
    const { rows } = await client.query<{ id: string; at: number }>(
      `SELECT id, (extract(epoch FROM "slaNextAt") * 1000)::float8 AS at FROM "Ticket" WHERE id LIKE 'sla-t-%' ORDER BY "slaNextAt"`,
    );
    t = performance.now();
    let scheduledLate = 0;
    let next = 0;
    // The app's scheduler, ticket by ticket, 256 in flight: what 100,000 tickets' changes would do.
    await Promise.all(
      Array.from({ length: 256 }, async () => {
        while (next < rows.length) {
          const row = rows[next++]!;
          const at = row.at;
          dueAt.set(row.id, at);
          if (at < Date.now()) scheduledLate++;
          await schedule(row.id, new Date(at));
        }
      }),
    );
    const scheduleMs = performance.now() - t;
    log(`${rows.length} timers scheduled in ${(scheduleMs / 1000).toFixed(1)} s (${scheduledLate} after their instant); firing…`);
    const sampler = startStallSampler(client, new URL(o.databaseUrl).pathname.slice(1), () => inFlight);
    const timeout = setTimeout(done, o.leadMs + o.windowMs + 300_000);
    await allDone;
    clearTimeout(timeout);
    const samples = await sampler.stop();
    const cpu = sampler.cpu();
    const worst = worstSeconds(firedAt, fired);
    const firstAt = firedAt.reduce((m, a) => Math.min(m, a), Infinity);
    const near = (ms: number) => worst.some((w) => w.late50 > 0 && ms >= firstAt + (w.second - 2) * 1000 && ms < firstAt + (w.second + 2) * 1000);
    const { rows: counts } = await client.query<{ events: string; mails: string }>(
      `SELECT (SELECT count(*) FROM "TicketEvent" WHERE "ticketId" LIKE 'sla-t-%' AND type::text LIKE 'SLA_%') AS events,
              (SELECT count(*) FROM "OutboundEmail" WHERE kind = 'sla_breached') AS mails`,
    );
    log(`${fired.length} timers fired`);
    return {
      n: fired.length,
      windowMs: o.windowMs,
      scheduleMs: Math.round(scheduleMs),
      scheduledLate,
      firedLateness: summarize(fired),
      appliedLateness: summarize(applied),
      worstSeconds: worst,
      aroundWorst: samples.filter((x) => near(x.at)),
      windowStart: new Date(firstAt).toISOString(),
      postgresLog: postgresLogBetween(firstAt - 60_000, Date.now()),
      firedLatenessWarm: summarize(warm(firedAt, fired)),
      throughputPerS: Math.round(fired.length / ((lastApplied - firstFired) / 1000)),
      cpuPerTimerMs: { postgres: Math.round((cpu.postgresMs / fired.length) * 1000) / 1000, node: Math.round((cpu.nodeMs / fired.length) * 1000) / 1000 },
      eventsRecorded: Number(counts[0]!.events),
      breachMailsStaged: Number(counts[0]!.mails),
    };
  } finally {
    await worker.close();
    workerConnection.disconnect();
    await queue.close();
    producer.disconnect();
    await db.$disconnect();
  }
}

async function reconcilerPhase(o: SlaTimerBenchOptions, client: pg.Client): Promise<SlaTimerBenchResult["reconciler"]> {
  const log = o.log;
  await client.query(`TRUNCATE "Ticket" CASCADE`);
  let t = performance.now();
  const nowMs = Date.now();
  // 97% closed (nothing left to fire), 3% open: the first `due` of them with a warning due an hour
  // ago and no timer, the rest with their next event in the coming days.
  await insertTimedTickets(client, o.scanTickets, nowMs - 3_600_000, 0);
  await client.query(
    `UPDATE "Ticket" SET status = 'CLOSED', "closedAt" = "createdAt" + interval '3 hours', "firstResponseAt" = "createdAt" + interval '1 hour'
     WHERE substr(id, 7)::int > $1::int * 0.03`,
    [o.scanTickets],
  );
  await client.query(
    `UPDATE "Ticket" SET "firstResponseWarnAt" = "firstResponseWarnAt" + (substr(id, 7)::int % 96) * interval '1 hour' + interval '2 hours',
       "firstResponseDueAt" = "firstResponseDueAt" + interval '5 days', "firstResponseWarnedAt" = NULL
     WHERE status = 'OPEN' AND substr(id, 7)::int > $1::int`,
    [o.scanDue],
  );
  await client.query(`VACUUM ANALYZE "Ticket"`);
  const seedMs = performance.now() - t;
  const { rows: c } = await client.query<{ n: string; due: string }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE "slaNextAt" <= now() AT TIME ZONE 'UTC') AS due FROM "Ticket"`,
  );
  log(`${c[0]!.n} tickets (${c[0]!.due} with an SLA event due and no timer) in ${(seedMs / 1000).toFixed(1)} s`);

  const db = createDb(o.databaseUrl, 4);
  const deps = benchDeps(db, async () => {}, { n: 0 });
  try {
    const scans: number[] = [];
    for (let i = 0; i < 21; i++) {
      t = performance.now();
      await dueSlaTickets(deps, 500);
      if (i > 0) scans.push(performance.now() - t);
    }
    const { rows: plan } = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT id FROM "Ticket" WHERE "slaNextAt" <= now() AT TIME ZONE 'UTC' ORDER BY "slaNextAt" LIMIT 500`,
    );
    t = performance.now();
    await client.query(`SELECT count(*) FROM "Ticket" WHERE "slaNextAt" <= now() AT TIME ZONE 'UTC'`);
    const countAllDueMs = performance.now() - t;
    t = performance.now();
    const sweepFired = await fireDueSlaEvents(deps, { budgetMs: 3_600_000 });
    const sweepMs = performance.now() - t;
    log(`sweep: ${sweepFired} events fired in ${(sweepMs / 1000).toFixed(1)} s`);
    return {
      tickets: Number(c[0]!.n),
      due: Number(c[0]!.due),
      seedMs: Math.round(seedMs),
      scanBatch: summarize(scans),
      scanPlan: plan.map((r) => r["QUERY PLAN"]).join("\n"),
      countAllDueMs: Math.round(countAllDueMs * 100) / 100,
      sweepMs: Math.round(sweepMs),
      sweepFired,
    };
  } finally {
    await db.$disconnect();
  }
}

/** Both phases on their own database and Redis prefix (emptied first, and the prefix at the end). */
export async function runSlaTimerBench(opts: Partial<SlaTimerBenchOptions> = {}): Promise<SlaTimerBenchResult> {
  const o: SlaTimerBenchOptions = {
    databaseUrl: process.env.BENCH_SLA_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_sla",
    redisUrl: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
    redisPrefix: "vt-bench-sla",
    timers: SLA_BENCH_DEFAULTS.timers,
    windowMs: SLA_BENCH_DEFAULTS.window * 1000,
    leadMs: SLA_BENCH_DEFAULTS.lead * 1000,
    concurrency: SLA_BENCH_DEFAULTS.concurrency,
    scanTickets: SLA_BENCH_DEFAULTS["scan-tickets"],
    scanDue: SLA_BENCH_DEFAULTS["scan-due"],
    timersOnly: false,
    log: (line) => process.stderr.write(`[bench:sla] ${line}\n`),
    ...opts,
  };
  assertLoopback(o.databaseUrl, o.redisUrl);
  const redis = producerRedis(o.redisUrl);
  o.log(`redis: removed ${await clearRedisPrefix(redis, o.redisPrefix)} stale ${o.redisPrefix}:* keys`);
  const client = await prepareDatabase(o.databaseUrl);
  try {
    await seedPeople(client, 50, 1000);
    await client.query(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ('bench-admin', 'admin@bench.test', 'Bench Admin', 'ADMIN', 'es', now())`);
    const timers = await timersPhase(o, client);
    const reconciler = o.scanTickets > 0 ? await reconcilerPhase(o, client) : null;
    return { timers, reconciler: reconciler! };
  } finally {
    await client.end();
    await clearRedisPrefix(redis, o.redisPrefix);
    redis.disconnect();
  }
}


async function main() {
  const flags = parseBenchFlags(process.argv.slice(2), {
    defaults: SLA_BENCH_DEFAULTS,
    switches: ["strict", "timers-only"] as const,
    strings: ["out"] as const,
    usage: "npm run bench:sla -- [--flag=value …]",
    help:
      `  --out=bench/results/sla-timers-<date>.json  --strict (exit 1 when a target is missed)\n` +
      `  --timers-only (the worker applies nothing: BullMQ's delayed jobs alone; "every event recorded" then fails by design)\n` +
      `env: BENCH_SLA_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/ventanilla_bench_sla), BENCH_REDIS_URL`,
  });
  const watchdog = setTimeout(() => {
    process.stderr.write(`[bench:sla] timed out after ${flags.timeout}s\n`);
    process.exit(2);
  }, flags.timeout * 1000);
  watchdog.unref();
  const started = performance.now();
  const r = await runSlaTimerBench({
    timers: flags.timers,
    windowMs: flags.window * 1000,
    leadMs: flags.lead * 1000,
    concurrency: flags.concurrency,
    scanTickets: flags["scan-tickets"],
    scanDue: flags["scan-due"],
    timersOnly: flags["timers-only"],
  });
  const row = (name: string, s: Summary) => [name, s.n, fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.p99), fmtMs(s.max)];
  console.log(`\nSLA timers: ${r.timers.n} events within ${r.timers.windowMs / 1000} s, one worker (concurrency ${flags.concurrency})${flags["timers-only"] ? ", timers only (nothing applied)" : ""}`);
  console.log(table(["lateness (ms)", "n", "p50", "p95", "p99", "max"], [row("timer fired (handler start)", r.timers.firedLateness), row("fired, after the first 30 s", r.timers.firedLatenessWarm), row("change committed", r.timers.appliedLateness)]));
  console.log(`window opened at ${r.timers.windowStart}`);
  console.log(`worst seconds of the window (second: events, > 50 ms late, max ms): ${r.timers.worstSeconds.map((w) => `${w.second}: ${w.events}, ${w.late50}, ${w.maxLateMs}`).join(" · ")}`);
  for (const x of r.timers.aroundWorst) console.log(`  ${new Date(x.at).toISOString().slice(11, 23)} loop ${x.loopDelayMaxMs} ms, in flight ${x.inFlight}, backends ${JSON.stringify(x.backends)}`);
  for (const line of r.timers.postgresLog) console.log(`  pg: ${line}`);
  console.log(`CPU per timer: PostgreSQL ${r.timers.cpuPerTimerMs.postgres} ms, Node ${r.timers.cpuPerTimerMs.node} ms`);
  console.log(`throughput ${r.timers.throughputPerS}/s; scheduling ${r.timers.n} timers took ${(r.timers.scheduleMs / 1000).toFixed(1)} s; ${r.timers.eventsRecorded} history entries`);
  const checks = [
    { name: `timer lateness p99 ≤ ${SLA_LATENESS_P99_TARGET_MS} ms`, ok: r.timers.firedLateness.p99 <= SLA_LATENESS_P99_TARGET_MS, value: r.timers.firedLateness.p99 },
    { name: "every event recorded exactly once", ok: r.timers.eventsRecorded === r.timers.n, value: r.timers.eventsRecorded },
  ];
  if (r.reconciler) {
    console.log(`\nReconciler: ${r.reconciler.tickets} tickets, ${r.reconciler.due} due with no timer`);
    console.log(table(["scan (ms)", "n", "p50", "p95", "p99", "max"], [row("500 due tickets (one sweep batch)", r.reconciler.scanBatch)]));
    console.log(`count of every due ticket ${fmtMs(r.reconciler.countAllDueMs)} ms; whole sweep ${(r.reconciler.sweepMs / 1000).toFixed(1)} s for ${r.reconciler.sweepFired} events\n${r.reconciler.scanPlan}`);
    checks.push({ name: `reconciler scan < ${SLA_SCAN_TARGET_MS / 1000} s`, ok: r.reconciler.scanBatch.max < SLA_SCAN_TARGET_MS, value: r.reconciler.scanBatch.max });
    checks.push({ name: "the sweep fired every lost event", ok: r.reconciler.sweepFired === r.reconciler.due, value: r.reconciler.sweepFired });
  }
  console.log(`\n${checks.map((c) => `${c.ok ? "PASS" : "FAIL"}  ${c.name} (${c.value})`).join("\n")}`);
  const out = flags.out ?? path.join(ROOT, "bench", "results", `sla-timers-${new Date().toISOString().slice(0, 10)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${os.platform()} ${os.release()}` };
  writeFileSync(out, `${JSON.stringify({ bench: "sla-timers", date: new Date().toISOString(), commit: gitCommit(ROOT), machine, config: flags, ...r, checks, durationS: Math.round((performance.now() - started) / 100) / 10 }, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(ROOT, out)}`);
  clearTimeout(watchdog);
  return flags.strict && checks.some((c) => !c.ok) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`[bench:sla] failed: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
