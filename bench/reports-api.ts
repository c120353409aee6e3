// `npm run bench:reports:api`: the integration API's ticket list (GET /api/v1/tickets, bearer token)
// against tRPC's ticket.list (session cookie) on the same data, same agent, same page size, through
// the same HTTP server under autocannon, with the harness of bench/api.ts.
//
//   web process   node --import tsx bench/support/server.ts   NODE_ENV=production, startServer (tRPC +
//                                                            /api/v1 + socket.io, no Next), own DB / Redis prefix
//   this process  orchestrator and load generator            autocannon (in process)
//
// Target: REST at least as fast as tRPC (req/s within 5 % or better, p95 and p99 no more than 5 % worse).
// Flags: --help. Small runs for correctness: --tickets=2000 --duration=2 --warmup=1.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon, { type AutocannonRequest } from "autocannon";
import { Redis } from "ioredis";
import { encode } from "next-auth/jwt";
import { hashToken, TOKEN_PREFIX } from "~/server/modules/api-tokens/manage-tokens";
import { transformer } from "~/shared/transformer";
import { BENCH_SECRET, benchAppEnv } from "./support/app-env";
import { agentId, prepareWorkload } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { cleanRedis, clearRedisPrefix, freePort } from "./support/local";
import { readCpuMs } from "./support/proc";
import { now } from "./support/protocol";
import { runBench } from "./support/run";
import { fmtMs, summarize, table, type Summary } from "./support/stats";

const ROOT = path.resolve(import.meta.dirname, "..");
const REDIS_PREFIX = "vt-bench-reports-api";

const DEFAULTS = {
  tickets: 100_000, // tickets bulk-inserted (the agent's queue both APIs list)
  "customer-pool": 2000,
  agents: 50,
  duration: 10, // seconds of each measured phase
  warmup: 3, // seconds of warm-up per API before its phases (not counted)
  connections: 50, // clients of the concurrent phases (the sequential phases use 1)
  rounds: 2, // each round measures both APIs, alternating which goes first
  "list-limit": 50,
  timeout: 900,
};
type Flags = typeof DEFAULTS & { out?: string; strict: boolean };

const flags: Flags = parseBenchFlags(process.argv.slice(2), {
  defaults: DEFAULTS,
  switches: ["strict"] as const,
  strings: ["out"] as const,
  usage: "npm run bench:reports:api -- [--flag=value …]",
  help: `  --out=bench/results/reports-api-<date>.json\n  --strict  exit 1 when REST is slower than tRPC beyond the 5 % tolerance`,
});

const DATABASE_URL = process.env.BENCH_API_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_reports_api";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
assertLoopback(DATABASE_URL, REDIS_URL);

const t0Run = now();
const log = (line: string) => process.stderr.write(`[bench ${((now() - t0Run) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
const r1 = (n: number) => Math.round(n * 10) / 10;

const children = new Set<ChildProcess>();
const tmpDirs: string[] = [];

async function startWeb(): Promise<{ proc: ChildProcess; url: string; exit: Promise<number | null>; errors: string[] }> {
  const port = await freePort();
  const storage = mkdtempSync(path.join(os.tmpdir(), "ventanilla-bench-reports-api-"));
  tmpDirs.push(storage);
  const proc = spawn(process.execPath, ["--import", "tsx", "bench/support/server.ts"], {
    cwd: ROOT,
    env: benchAppEnv(
      { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, redisPrefix: REDIS_PREFIX },
      // The token's request budget stays in the path (one Redis call per request) but never refuses here.
      { HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, STORAGE_DIR: storage, RATE_LIMIT_API_PER_MINUTE: "1000000000" },
    ),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  const exit = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  void exit.then(() => children.delete(proc));
  const errors: string[] = [];
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  for (const stream of [proc.stdout!, proc.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      if (/"type":"ready"/.test(line)) ready();
      else if (/failed|error/i.test(line) && errors.length < 50) errors.push(line.slice(0, 300));
      if (!/"type":"(ready|mark)"/.test(line)) process.stderr.write(`  [web] ${line}\n`);
    });
  }
  await Promise.race([
    started,
    exit.then((code) => {
      throw new Error(`web process exited (${code}) before it was listening`);
    }),
    sleep(120_000).then(() => {
      throw new Error("web process not listening within 120 s");
    }),
  ]);
  return { proc, url: `http://127.0.0.1:${port}`, exit, errors };
}

interface Phase {
  api: "rest" | "trpc";
  round: number;
  connections: number;
  ok: number;
  non200: number;
  statuses: Record<string, number>;
  errors: number;
  wallS: number;
  rps: number;
  ms: Summary;
  webCpuMsPerRequest: number;
}

async function runLoad(url: string, req: AutocannonRequest, connections: number, duration: number) {
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let non200 = 0;
  let errors = 0;
  const t = now();
  await new Promise<void>((resolve, reject) => {
    const inst = autocannon({ url, connections, pipelining: 1, timeout: 30, duration, requests: [req] }, (err) => (err ? reject(err) : resolve()));
    inst.on("response", (_c: unknown, status: number, _b: number, ms: number) => {
      lat.push(ms);
      if (status === 200) ok++;
      else {
        non200++;
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    });
    inst.on("reqError", () => errors++);
  });
  return { lat, ok, non200, statuses, errors, wallMs: now() - t };
}

async function main(): Promise<number> {
  const { client: pgc, tickets } = await prepareWorkload(DATABASE_URL, { agents: Math.max(1, flags.agents), customers: Math.max(1, flags["customer-pool"]), tickets: flags.tickets }, log);
  const redis = await cleanRedis(REDIS_URL, REDIS_PREFIX, log);

  // One agent lists, through both doors: a session cookie for tRPC, a read token for REST.
  const agent = agentId(1);
  const cookie = `next-auth.session-token=${await encode({ token: { sub: agent }, secret: BENCH_SECRET, maxAge: 24 * 3600 })}`;
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  await pgc.query(`DELETE FROM "ApiToken"`);
  await pgc.query(`INSERT INTO "ApiToken" (id, name, kind, scope, "userId", prefix, "secretHash") VALUES ($1, 'bench', 'PERSONAL', 'READ', $2, $3, $4)`, [
    "bench-token",
    agent,
    secret.slice(0, 12),
    hashToken(secret),
  ]);

  const web = await startWeb();
  log(`web process ${web.proc.pid} (bench/support/server.ts: tRPC + /api/v1, no Next) on ${web.url}`);
  const limit = flags["list-limit"];
  const trpcPath = `/api/trpc/ticket.list?input=${encodeURIComponent(JSON.stringify(transformer.serialize({ limit })))}`;
  const restPath = `/api/v1/tickets?limit=${limit}`;
  const requests: Record<Phase["api"], AutocannonRequest> = {
    trpc: { method: "GET", path: trpcPath, headers: { cookie } },
    rest: { method: "GET", path: restPath, headers: { authorization: `Bearer ${secret}` } },
  };

  // Correctness first: both answer 200 with the same page of the same queue.
  {
    const a = await fetch(`${web.url}${trpcPath}`, { headers: { cookie } });
    const aBody = (await a.json()) as { result?: { data?: unknown } };
    const trpcItems = (transformer.deserialize(aBody.result?.data) as { items: Array<{ id: string }> } | undefined)?.items ?? [];
    const b = await fetch(`${web.url}${restPath}`, { headers: { authorization: `Bearer ${secret}` } });
    const restItems = ((await b.json()) as { items?: Array<{ id: string }> }).items ?? [];
    if (a.status !== 200 || b.status !== 200) throw new Error(`smoke check: tRPC ${a.status}, REST ${b.status}`);
    if (restItems.length !== Math.min(limit, tickets) || restItems.map((t) => t.id).join() !== trpcItems.map((t) => t.id).join()) {
      throw new Error(`smoke check: REST and tRPC pages differ (${restItems.length} vs ${trpcItems.length} rows)`);
    }
    if (!b.headers.get("ratelimit-remaining")) throw new Error("smoke check: REST answer without RateLimit-Remaining");
    log(`smoke check: both 200 with the same ${restItems.length} tickets`);
  }

  const phases: Phase[] = [];
  const measure = async (api: Phase["api"], round: number, connections: number) => {
    await sleep(500);
    const cpu0 = readCpuMs(web.proc.pid!) ?? 0;
    const r = await runLoad(web.url, requests[api], connections, flags.duration);
    const cpuMs = (readCpuMs(web.proc.pid!) ?? 0) - cpu0;
    const p: Phase = {
      api,
      round,
      connections,
      ok: r.ok,
      non200: r.non200,
      statuses: r.statuses,
      errors: r.errors,
      wallS: r1(r.wallMs / 1000),
      rps: r1(r.ok / (r.wallMs / 1000)),
      ms: summarize(r.lat),
      webCpuMsPerRequest: Math.round((cpuMs / Math.max(1, r.ok)) * 100) / 100,
    };
    phases.push(p);
    log(`${api} ×${connections} (round ${round}): ${p.ok} × 200 = ${p.rps}/s, p50 ${fmtMs(p.ms.p50)} p95 ${fmtMs(p.ms.p95)} p99 ${fmtMs(p.ms.p99)} ms${p.non200 || p.errors ? `; ${p.non200} non-200 ${JSON.stringify(p.statuses)}, ${p.errors} errors` : ""}`);
  };

  if (flags.warmup > 0) {
    for (const api of ["trpc", "rest"] as const) await runLoad(web.url, requests[api], flags.connections, flags.warmup);
    log("warm-up done (not counted)");
  }
  for (let round = 1; round <= flags.rounds; round++) {
    const order: Array<Phase["api"]> = round % 2 === 1 ? ["trpc", "rest"] : ["rest", "trpc"];
    for (const connections of [1, flags.connections]) for (const api of order) await measure(api, round, connections);
  }

  web.proc.kill("SIGTERM");
  await Promise.race([web.exit, sleep(10_000)]);
  await clearRedisPrefix(redis, REDIS_PREFIX);
  redis.disconnect();
  await pgc.end();

  // Per API and client count: all rounds' latencies are not kept, so the report takes the median round's figures.
  const pick = (api: Phase["api"], connections: number) => {
    const runs = phases.filter((p) => p.api === api && p.connections === connections).sort((a, b) => a.rps - b.rps);
    return runs[Math.floor(runs.length / 2)]!;
  };
  const checks = [1, flags.connections].flatMap((c) => {
    const rest = pick("rest", c);
    const trpc = pick("trpc", c);
    return [
      { name: `req/s with ${c} client(s)`, rest: rest.rps, trpc: trpc.rps, pass: rest.rps >= trpc.rps * 0.95 },
      { name: `p95 with ${c} client(s)`, rest: rest.ms.p95, trpc: trpc.ms.p95, pass: rest.ms.p95 <= trpc.ms.p95 * 1.05 + 0.1 },
      { name: `p99 with ${c} client(s)`, rest: rest.ms.p99, trpc: trpc.ms.p99, pass: rest.ms.p99 <= trpc.ms.p99 * 1.05 + 0.1 },
    ];
  });
  const integrity = [
    ...phases.filter((p) => p.non200 || p.errors).map((p) => `${p.api} ×${p.connections}: ${p.non200} non-200 ${JSON.stringify(p.statuses)}, ${p.errors} request errors`),
    ...web.errors.map((e) => `web: ${e}`),
  ];

  const results = {
    benchmark: "reports-api",
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", node: process.version, loadAvg: os.loadavg() },
    config: { ...flags, database: new URL(DATABASE_URL).pathname.slice(1), redisPrefix: REDIS_PREFIX },
    data: { tickets, listPageSize: limit },
    phases,
    checks,
    integrityErrors: integrity,
  };
  console.log(
    [
      "",
      `TICKET LIST — GET /api/v1/tickets (bearer token) vs tRPC ticket.list (session), ${tickets.toLocaleString("en")} tickets, ${limit} a page; ms per request (autocannon, loopback)`,
      table(
        ["api", "round", "clients", "200s", "req/s", "p50", "p95", "p99", "max", "CPU ms/req"],
        phases.map((p) => [p.api, p.round, p.connections, p.ok, p.rps.toFixed(1), fmtMs(p.ms.p50), fmtMs(p.ms.p95), fmtMs(p.ms.p99), fmtMs(p.ms.max), p.webCpuMsPerRequest.toFixed(2)]),
      ),
      ...checks.map((c) => `${c.pass ? "PASS" : "FAIL"}  ${c.name}: REST ${c.rest} vs tRPC ${c.trpc}`),
      ...integrity.map((e) => `ERROR ${e}`),
    ].join("\n"),
  );
  const file = flags.out ? path.resolve(ROOT, flags.out) : path.join(ROOT, "bench", "results", `reports-api-${results.date.slice(0, 10)}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(ROOT, file)}`);
  return integrity.length ? 1 : flags.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

function cleanup() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
}

async function abort(code: number): Promise<never> {
  cleanup();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on("error", () => {});
  await Promise.race([clearRedisPrefix(redis, REDIS_PREFIX).catch(() => 0), sleep(5000)]);
  redis.disconnect();
  process.exit(code);
}

runBench({ main, timeoutSec: flags.timeout, log, abort, finish: cleanup });
