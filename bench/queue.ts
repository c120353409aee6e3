// `npm run bench:queue`: the agents' queue at scale (issue 13). A million tickets (one message
// each) in PostgreSQL, then every view, filter, search, sort and the counts timed server-side: the
// domain functions (listQueue, queueCounts) called in this process against the real database, as
// the tRPC procedures call them, without HTTP. Goal: p95 < 15 ms for every case.
//
// Other benchmarks over the same workload plug in through EXTRA_BENCHES (the SLA timers' bench,
// bench/sla-timers.ts, is meant to go there). See bench/README.md. Flags: --help.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { systemClock } from "~/server/clock";
import { createDb, sqlOf, type Db } from "~/server/db/client";
type Statement = { text: string; values: unknown[] };
import type { Actor } from "~/server/modules/actor";
import type { Deps } from "~/server/modules/deps";
import { listQueue, type ListQueueInput } from "~/server/modules/tickets/queue/list-queue";
import { queueCounts } from "~/server/modules/tickets/queue/queue-counts";
import type { QueueFilters } from "~/server/modules/tickets/queue/queue-filters";
import { runSlaTimerBench } from "./sla-timers";
import { agentId, prepareWorkload } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { now } from "./support/protocol";
import { fmtMs, summarize, table, type Summary } from "./support/stats";

const GOAL_P95_MS = 15;

const DEFAULTS = {
  tickets: 1_000_000, // bulk tickets, one message each
  live: 4000, // the live backlog (open, in progress, waiting): the newest tickets
  agents: 50,
  "customer-pool": 20_000, // customers the tickets are spread over
  iterations: 200, // timed calls per case
  warmup: 20, // untimed calls per case first
  timeout: 3600, // hard limit for the whole run, seconds
};
type Flags = typeof DEFAULTS & { out?: string; explain: boolean; "keep-data": boolean; strict: boolean; "skip-timers": boolean };

const flags: Flags = parseBenchFlags(process.argv.slice(2), {
  defaults: DEFAULTS,
  switches: ["explain", "keep-data", "strict", "skip-timers"] as const,
  strings: ["out"] as const,
  usage: "npm run bench:queue -- [--flag=value …]",
  help:
    `  --out=bench/results/queue-<date>.json\n` +
    `  --explain      also save EXPLAIN (ANALYZE, BUFFERS) of every case's statement in the results\n` +
    `  --keep-data    reuse the tickets already in the bench database (same --tickets) instead of reseeding\n` +
    `  --strict       exit 1 when a case misses the goal (p95 < ${GOAL_P95_MS} ms)\n` +
    `  --skip-timers  leave out the SLA timers and reconciler (bench/sla-timers.ts; alone: npm run bench:sla)`,
});

const DATABASE_URL = process.env.BENCH_QUEUE_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_queue";
assertLoopback(DATABASE_URL);

const t0Run = now();
const log = (line: string) => process.stderr.write(`[bench ${((now() - t0Run) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

/** What a benchmark sharing this workload gets, and gives back (saved under its name in the results). */
export interface WorkloadContext {
  databaseUrl: string;
  client: pg.Client;
  db: Db;
  tickets: number;
  log: (line: string) => void;
}
export type WorkloadBench = (ctx: WorkloadContext) => Promise<Record<string, unknown>>;

/** Benchmarks run after the queue's on the same million tickets, e.g. `{ name: "slaTimers", run: slaTimersBench }`. */
// The timers' bench keeps its own database (it empties it), so it takes nothing from the queue's workload.
const EXTRA_BENCHES: { name: string; run: WorkloadBench }[] = flags["skip-timers"]
  ? []
  : [{ name: "slaTimers", run: async (ctx) => ({ ...(await runSlaTimerBench({ log: ctx.log })) }) }];

interface Case {
  group: "view" | "sort" | "page 2" | "filter" | "search" | "counts";
  name: string;
  run: () => Promise<unknown>;
}

/** The statement a case sends last (the page or the counts; a search looks requesters up first), caught on the pool, for EXPLAIN. */
async function statementOf(db: Db, run: () => Promise<unknown>): Promise<Statement | null> {
  const pool = sqlOf(db);
  const original = pool.query.bind(pool);
  let caught: Statement | null = null;
  (pool as { query: unknown }).query = (q: Statement, ...rest: unknown[]) => {
    caught = q;
    return (original as (...a: unknown[]) => unknown)(q, ...rest);
  };
  try {
    await run();
  } finally {
    (pool as { query: unknown }).query = original;
  }
  return caught;
}

async function explain(client: pg.Client, q: Statement): Promise<string> {
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

function cases(deps: Deps, actor: Actor, sample: { number: number; customerEmail: string; customerName: string; categoryId: string; agentId: string; cursor: (i: ListQueueInput) => Promise<string> }): Case[] {
  const list = (input: ListQueueInput) => () => listQueue(deps, actor, input);
  const out: Case[] = [];
  for (const view of ["unassigned", "mine", "team", "open", "waiting", "atRisk", "overdue", "all"] as const) {
    out.push({ group: "view", name: view, run: list({ view }) });
  }
  for (const view of ["unassigned", "all"] as const) {
    for (const sort of ["newest", "slaDue", "lastCustomer"] as const) out.push({ group: "sort", name: `${view} · ${sort}`, run: list({ view, sort }) });
  }
  for (const [view, sort] of [["all", "oldest"], ["all", "lastCustomer"], ["unassigned", "slaDue"]] as const) {
    let cursor: string | null = null;
    out.push({
      group: "page 2",
      name: `${view} · ${sort}`,
      run: async () => listQueue(deps, actor, { view, sort, cursor: (cursor ??= await sample.cursor({ view, sort })) }),
    });
  }
  const filters: [string, QueueFilters][] = [
    ["status OPEN", { status: ["OPEN"] }],
    ["status RESOLVED", { status: ["RESOLVED"] }],
    ["priority HIGH", { priority: ["HIGH"] }],
    ["category", { categoryId: [sample.categoryId] }],
    ["channel PHONE", { channel: ["PHONE"] }],
    ["assignee me", { assignee: "me" }],
    ["assignee none", { assignee: "none" }],
    ["assignee agent", { assignee: sample.agentId }],
    ["team mine", { team: "mine" }],
    ["team none", { team: "none" }],
    ["team one", { team: "bench-team-4" }],
  ];
  for (const view of ["open", "all"] as const) {
    for (const [name, f] of filters) out.push({ group: "filter", name: `${view} · ${name}`, run: list({ view, ...f }) });
  }
  const searches: [string, string][] = [
    ["number #N", `#${sample.number}`],
    ["number N", String(sample.number)],
    ["common word", "gracias"],
    ["frequent word", "camara"],
    ["product (2.5%)", "modelob1"],
    ["rare word (lote)", "L31337"],
    ["accented word", "contraseña"],
    ["two words", "pedido llegado"],
    ["requester email", sample.customerEmail],
    ["requester name", sample.customerName],
    ["no match", "inexistentezzz"],
  ];
  for (const view of ["all", "unassigned"] as const) {
    for (const [name, search] of searches) out.push({ group: "search", name: `${view} · ${name}`, run: list({ view, search }) });
  }
  out.push({ group: "search", name: "all · common word · slaDue", run: list({ view: "all", search: "gracias", sort: "slaDue" }) });
  out.push({ group: "search", name: "all · rare word · newest", run: list({ view: "all", search: "L31337", sort: "newest" }) });
  out.push({ group: "counts", name: "no filter", run: () => queueCounts(deps, actor, {}) });
  out.push({ group: "counts", name: "priority HIGH", run: () => queueCounts(deps, actor, { priority: ["HIGH"] }) });
  out.push({ group: "counts", name: "category", run: () => queueCounts(deps, actor, { categoryId: [sample.categoryId] }) });
  out.push({ group: "counts", name: "channel PHONE", run: () => queueCounts(deps, actor, { channel: ["PHONE"] }) });
  return out;
}

async function time(run: () => Promise<unknown>, warmup: number, iterations: number): Promise<{ summary: Summary; rows: number }> {
  for (let i = 0; i < warmup; i++) await run();
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < iterations; i++) {
    const t = now();
    const r = await run();
    ms.push(now() - t);
    rows = (r as { items?: unknown[] }).items?.length ?? 1;
  }
  return { summary: summarize(ms), rows };
}

async function main() {
  const watchdog = setTimeout(() => {
    log(`timeout after ${flags.timeout} s`);
    process.exit(2);
  }, flags.timeout * 1000);
  watchdog.unref();

  let client: pg.Client;
  let tickets: number;
  let seedMs = 0;
  if (flags["keep-data"]) {
    const pgMod = await import("pg");
    client = new pgMod.default.Client({ connectionString: DATABASE_URL });
    await client.connect();
    tickets = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Ticket"`)).rows[0]!.n);
    log(`reusing ${tickets} tickets in ${new URL(DATABASE_URL).pathname.slice(1)}`);
  } else {
    ({ client, tickets, seedMs } = await prepareWorkload(
      DATABASE_URL,
      { agents: flags.agents, customers: flags["customer-pool"], tickets: flags.tickets, mix: { live: flags.live, staleShare: 0.001, messages: true } },
      log,
    ));
    const t = now();
    await client.query(`VACUUM ANALYZE "Ticket"`);
    await client.query(`VACUUM ANALYZE "Message"`);
    await client.query(`VACUUM ANALYZE "User"`);
    log(`VACUUM ANALYZE in ${((now() - t) / 1000).toFixed(1)} s`);
  }
  const mix = (await client.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "Ticket" GROUP BY 1 ORDER BY 2 DESC`)).rows;
  log(`status mix: ${mix.map((r) => `${r.status} ${r.n}`).join(", ")}`);

  const db = createDb(DATABASE_URL, 4);
  // listQueue and queueCounts read only the database and the clock.
  const deps = { db, clock: systemClock } as unknown as Deps;
  const actor: Actor = { id: agentId(1), role: "AGENT", locale: "es" };
  const sampleTicket = (
    await client.query<{ number: number; email: string; name: string; categoryId: string }>(
      `SELECT t.number, u.email, u.name, t."categoryId" FROM "Ticket" t JOIN "User" u ON u.id = t."requesterId" WHERE t.id = $1`,
      [`bench-t-${Math.max(1, Math.floor(tickets / 2))}`],
    )
  ).rows[0]!;
  const list = cases(deps, actor, {
    number: sampleTicket.number,
    customerEmail: sampleTicket.email,
    customerName: sampleTicket.name,
    categoryId: sampleTicket.categoryId,
    agentId: agentId(7),
    cursor: async (input) => (await listQueue(deps, actor, input)).nextCursor ?? "",
  });

  const results: { group: string; name: string; rows: number; summary: Summary; plan?: string }[] = [];
  for (const c of list) {
    const { summary, rows } = await time(c.run, flags.warmup, flags.iterations);
    const entry: (typeof results)[number] = { group: c.group, name: c.name, rows, summary };
    if (flags.explain) {
      const q = await statementOf(db, c.run);
      if (q) entry.plan = await explain(client, q);
    }
    results.push(entry);
    log(`${c.group.padEnd(7)} ${c.name.padEnd(34)} p50 ${fmtMs(summary.p50).padStart(6)}  p95 ${fmtMs(summary.p95).padStart(6)}  p99 ${fmtMs(summary.p99).padStart(6)} ms  (${rows} rows)`);
  }

  const extras: Record<string, unknown> = {};
  for (const extra of EXTRA_BENCHES) {
    log(`running ${extra.name}`);
    extras[extra.name] = await extra.run({ databaseUrl: DATABASE_URL, client, db, tickets, log });
  }

  const missed = results.filter((r) => r.summary.p95 >= GOAL_P95_MS);
  console.log(
    table(
      ["case", "rows", "p50 ms", "p95 ms", "p99 ms", "max ms", `p95 < ${GOAL_P95_MS}`],
      results.map((r) => [`${r.group} · ${r.name}`, r.rows, fmtMs(r.summary.p50), fmtMs(r.summary.p95), fmtMs(r.summary.p99), fmtMs(r.summary.max), r.summary.p95 < GOAL_P95_MS ? "yes" : "NO"]),
    ),
  );
  console.log(`\n${tickets} tickets (${mix.map((r) => `${r.status} ${r.n}`).join(", ")}); ${results.length - missed.length}/${results.length} cases meet p95 < ${GOAL_P95_MS} ms.`);

  const out = flags.out ?? path.join("bench", "results", `queue-${new Date().toISOString().slice(0, 10)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), flags, tickets, statusMix: mix, seedSeconds: Math.round(seedMs / 100) / 10, goalP95Ms: GOAL_P95_MS, cases: results, extras }, null, 2)}\n`,
  );
  log(`results saved to ${out}`);
  await db.$disconnect();
  await client.end();
  if (flags.strict && missed.length) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
