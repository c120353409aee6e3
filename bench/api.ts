// `npm run bench:api`: the request path (issue 12): ticket.create and ticket.list through the real
// HTTP server, as `npm start` runs it, under autocannon; PostgreSQL's own one-row insert rate
// (pgbench) measured in the same run as the machine's limit.
//
//   web process   node --import tsx src/server/main.ts   NODE_ENV=production, Next (.next build) +
//                                                       tRPC + socket.io, own DB / Redis prefix, loopback
//   this process  orchestrator and load generator      autocannon (in process), /proc sampling, pgbench
//
// See bench/README.md for what each number means. Flags: --help.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon, { type AutocannonRequest } from "autocannon";
import { Redis } from "ioredis";
import { encode } from "next-auth/jwt";
import { BENCH_SECRET, benchAppEnv } from "./support/app-env";
import { summarizeCpuProfile, type ProfileSummary } from "./support/cpuprofile";
import { agentId, customerId, prepareWorkload } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { childPids, readCpuMs, readMem, readSystemCpu } from "./support/proc";
import { now } from "./support/protocol";
import { fmtMs, summarize, table, type Summary } from "./support/stats";
import { runBench } from "./support/run";
import { cleanRedis, clearRedisPrefix, freePort } from "./support/local";
import { transformer } from "~/shared/transformer";

const ROOT = path.resolve(import.meta.dirname, "..");
const REDIS_PREFIX = "vt-bench-api";

// The goals of issue 12.
const GOALS = {
  createRps4: 500, // ticket.create ≥ 500/s with 4 clients
  createP95Seq: 20, // ticket.create p95 < 20 ms one at a time
  listRps50: 2500, // ticket.list ≥ 2,500/s with 50 clients
  listP99At50: 25, // ticket.list p99 < 25 ms (with 50 clients)
};

// ── flags ─────────────────────────────────────────────────────────────────────────────────────
const DEFAULTS = {
  tickets: 100_000, // tickets bulk-inserted before any request (ticket.list reads the agent queue over them)
  "customer-pool": 2000, // customers the bulk tickets are spread over
  agents: 50, // agents (the bulk tickets' assignees); the first one lists the queue
  "create-seq": 500, // ticket.create requests one at a time (1 client)
  duration: 10, // seconds of each concurrent phase
  warmup: 3, // seconds of warm-up before the create phases and before the list phases (not counted)
  "list-limit": 50, // ticket.list page size
  "pgbench-seconds": 10,
  "pgbench-clients": 4,
  "quiet-wait": 120, // seconds to wait at start for the machine to be idle
  "web-processes": Math.min(os.availableParallelism(), 4), // WEB_PROCESSES (the app's default); CPU and RSS are summed over the processes
  timeout: 900, // hard limit for the whole run, seconds
};
type Flags = typeof DEFAULTS & { out?: string; at?: string; strict: boolean; profile: boolean; "api-only": boolean };

const flags: Flags = parseBenchFlags(process.argv.slice(2), {
  defaults: DEFAULTS,
  switches: ["strict", "profile", "api-only"] as const,
  strings: ["out", "at"] as const,
  usage: "npm run bench:api -- [--flag=value …]",
  help:
    `  --out=bench/results/api-<date>.json\n` +
    `  --at=<commit>  run the web process from \`git archive <commit>\` in a temporary directory (node_modules, .next and the\n` +
    `                 generated Prisma client linked/copied from here) instead of the working tree: measures that commit\n` +
    `                 while src/ is being edited\n` +
    `  --profile      start the web process with --cpu-prof and summarise where its CPU went\n` +
    `  --api-only     bench/support/server.ts (tRPC + socket.io, no Next) instead of src/server/main.ts\n` +
    `  --strict       exit 1 when a goal is missed`,
});

const DATABASE_URL = process.env.BENCH_API_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_api";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
assertLoopback(DATABASE_URL, REDIS_URL);

const t0Run = now();
const log = (line: string) => process.stderr.write(`[bench ${((now() - t0Run) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
const r1 = (n: number) => Math.round(n * 10) / 10;

// ── children and temporary directories ─────────────────────────────────────────────────────────
const children = new Set<ChildProcess>();
const tmpDirs: string[] = [];

function killChildren() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null && child.pid) child.kill("SIGKILL");
}

function git(args: string[]): string {
  return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
}

function commitOf(at: string | undefined): string | null {
  try {
    if (at) return git(["rev-parse", "--short", at]);
    const sha = git(["rev-parse", "--short", "HEAD"]);
    return git(["status", "--porcelain", "--", "src"]) ? `${sha}+src-changes` : sha;
  } catch {
    return null;
  }
}

/**
 * The commit's tree in a temporary directory (git archive: the repository is only read), with
 * this checkout's node_modules and .next linked and its generated Prisma client copied (both are
 * git-ignored). The web process then runs exactly that commit's src/, whatever src/ holds here.
 */
function snapshot(at: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ventanilla-bench-api-src-"));
  tmpDirs.push(dir);
  execFileSync("sh", ["-c", `git archive --format=tar "$1" | tar -x -C "$2"`, "sh", at, dir], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  if (existsSync(path.join(ROOT, ".next"))) symlinkSync(path.join(ROOT, ".next"), path.join(dir, ".next"));
  cpSync(path.join(ROOT, "src/server/generated"), path.join(dir, "src/server/generated"), { recursive: true });
  return dir;
}

/** tRPC's transformer as the web at `root` has it: devalue (src/shared/transformer.ts) or, before it, superjson's `{ json }`. */
function tRPCWire(root: string) {
  const devalue = existsSync(path.join(root, "src/shared/transformer.ts"));
  return {
    encode: (input: unknown): unknown => (devalue ? transformer.serialize(input) : { json: input }),
    decode: <T>(data: unknown): T | undefined => (devalue ? (transformer.deserialize(data) as T) : (data as { json?: T } | undefined)?.json),
  };
}

// ── the web process, watched from outside (/proc) ──────────────────────────────────────────────
interface Web {
  proc: ChildProcess;
  pid: number;
  url: string;
  mode: "next" | "api-only";
  exit: Promise<number | null>;
  /** Lines the web process printed that look like errors (tRPC internal errors, failed dispatches). */
  errors: string[];
}

async function startWeb(root: string, mode: Web["mode"], profileDir: string | null): Promise<Web> {
  const port = await freePort();
  const script = mode === "next" ? "src/server/main.ts" : "bench/support/server.ts";
  const storage = mkdtempSync(path.join(os.tmpdir(), "ventanilla-bench-api-storage-"));
  tmpDirs.push(storage);
  const proc = spawn(process.execPath, [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "--import", "tsx", script], {
    cwd: root,
    env: benchAppEnv(
      { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, redisPrefix: REDIS_PREFIX },
      { HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, NEXTAUTH_URL: `http://127.0.0.1:${port}`, STORAGE_DIR: storage, WEB_PROCESSES: String(flags["web-processes"]) },
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
      if (/listening on/.test(line) || /"type":"ready"/.test(line)) ready();
      else if (/failed|error/i.test(line) && errors.length < 50) errors.push(line.slice(0, 300));
      // The web's one log line per request (LOG_LEVEL info, as in production) is written, not echoed here.
      if (/"msg":"request"/.test(line)) return;
      if (errors.length <= 10 || !/failed|error/i.test(line)) process.stderr.write(`  [web] ${line}\n`);
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
  return { proc, pid: proc.pid!, url: `http://127.0.0.1:${port}`, mode, exit, errors };
}

/** CPU (ms) of every live `postgres` process, by pid. */
function postgresCpuByPid(): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, "utf8").trim() !== "postgres") continue;
      const ms = readCpuMs(Number(d));
      if (ms !== null) out.set(Number(d), ms);
    } catch {
      // ended between the listing and the read
    }
  }
  return out;
}

/**
 * Samples the web process's RSS every 100 ms and PostgreSQL's processes every 250 ms (pgbench's
 * backends live only as long as its run); a mark gives CPU (web, PostgreSQL, this process, the
 * machine) and RSS since the previous one.
 */
function watch(pid: number) {
  let peak = 0;
  // With WEB_PROCESSES > 1 the web is a cluster: its primary and the workers it forked, summed.
  let tree = [pid, ...childPids(pid)];
  const treeCpuMs = () => tree.reduce((sum, p) => sum + (readCpuMs(p) ?? 0), 0);
  const treeMem = () => {
    const mems = tree.map((p) => readMem(p)).filter((m) => m !== null);
    return mems.length ? { rssMb: mems.reduce((a, m) => a + m.rssMb, 0), hwmMb: mems.reduce((a, m) => a + m.hwmMb, 0) } : null;
  };
  // pid → [CPU at the last mark (0 for a process born since), CPU last seen]
  let pg = new Map<number, [number, number]>([...postgresCpuByPid()].map(([p, ms]) => [p, [ms, ms]]));
  const samplePg = () => {
    for (const [p, ms] of postgresCpuByPid()) {
      const seen = pg.get(p);
      if (seen) seen[1] = ms;
      else pg.set(p, [0, ms]);
    }
  };
  let tick = 0;
  const timer = setInterval(() => {
    const m = treeMem();
    if (m && m.rssMb > peak) peak = m.rssMb;
    if (++tick % 3 === 0) samplePg();
  }, 100);
  timer.unref();
  const snap = () => {
    samplePg();
    let pgMs = 0;
    for (const [base, last] of pg.values()) pgMs += last - base;
    const live = postgresCpuByPid();
    pg = new Map([...pg].filter(([p]) => live.has(p)).map(([p, [, last]]) => [p, [last, last] as [number, number]]));
    const self = process.cpuUsage();
    return {
      t: now(),
      web: treeCpuMs(),
      pgMs,
      self: (self.user + self.system) / 1000,
      sys: readSystemCpu(),
    };
  };
  let last = snap();
  return {
    mark(): PhaseCpu {
      const s = snap();
      const mem = treeMem();
      tree = [pid, ...childPids(pid)];
      const wall = s.t - last.t;
      const pct = (ms: number) => Math.round((ms / wall) * 100);
      const out: PhaseCpu = {
        wallMs: Math.round(wall),
        webCpuPct: pct(s.web - last.web),
        postgresCpuPct: pct(s.pgMs),
        driverCpuPct: pct(s.self - last.self),
        machineBusyPct: Math.round(((s.sys.busyMs - last.sys.busyMs) / Math.max(1, s.sys.totalMs - last.sys.totalMs)) * 100),
        machineIrqPct: Math.round(((s.sys.irqMs - last.sys.irqMs) / Math.max(1, s.sys.totalMs - last.sys.totalMs)) * 100),
        webRssMb: r1(mem?.rssMb ?? Number.NaN),
        webPeakRssMb: r1(Math.max(peak, mem?.rssMb ?? 0)),
        webKernelPeakRssMb: r1(mem?.hwmMb ?? Number.NaN),
      };
      peak = mem?.rssMb ?? 0;
      last = s;
      return out;
    },
    stop: () => clearInterval(timer),
  };
}

interface PhaseCpu {
  wallMs: number;
  /** Share of one core over the phase (100 = one core busy). */
  webCpuPct: number;
  /** Every postgres process on the machine (backends, WAL writer, checkpointer), share of one core. */
  postgresCpuPct: number;
  /** This process: autocannon and the orchestrator, share of one core. */
  driverCpuPct: number;
  /** The whole machine, share of all cores; and the part of it in interrupts (softirq: loopback TCP, charged to no process). */
  machineBusyPct: number;
  machineIrqPct: number;
  webRssMb: number;
  webPeakRssMb: number;
  /** The kernel's high-water mark (VmHWM) since the web process started. */
  webKernelPeakRssMb: number;
}

// ── load phases ──────────────────────────────────────────────────────────────────────────────
interface Phase {
  name: string;
  connections: number;
  /** Responses with status 200, and the rest. */
  ok: number;
  non200: number;
  statuses: Record<string, number>;
  /** Socket errors and timeouts (autocannon's reqError). */
  errors: number;
  wallS: number;
  /** 200 responses per second of wall time. */
  rps: number;
  ms: Summary;
  cpu: PhaseCpu;
  /** Web process CPU time per 200 response, ms: what one request costs the server. */
  webCpuMsPerRequest: number;
}

async function runLoad(
  url: string,
  req: AutocannonRequest,
  opts: { connections: number; duration?: number; amount?: number },
): Promise<{ lat: number[]; ok: number; non200: number; statuses: Record<string, number>; errors: number; wallMs: number }> {
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let non200 = 0;
  let errors = 0;
  const t = now();
  await new Promise<void>((resolve, reject) => {
    const inst = autocannon(
      {
        url,
        connections: opts.connections,
        pipelining: 1,
        timeout: 30,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
        requests: [req],
      },
      (err) => (err ? reject(err) : resolve()),
    );
    inst.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
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

// ── pgbench ──────────────────────────────────────────────────────────────────────────────────
interface PgbenchResult {
  clients: number;
  seconds: number;
  transactions: number;
  tps: number;
  latencyAvgMs: number;
  command: string;
  cpu: PhaseCpu;
}

async function pgbench(pgc: import("pg").Client, w: ReturnType<typeof watch>): Promise<PgbenchResult> {
  await pgc.query(`DROP TABLE IF EXISTS bench_api_pgbench`);
  await pgc.query(`CREATE TABLE bench_api_pgbench (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), v text NOT NULL)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "ventanilla-bench-api-pgbench-"));
  tmpDirs.push(dir);
  const script = path.join(dir, "insert.sql");
  writeFileSync(script, `INSERT INTO bench_api_pgbench (v) VALUES ('una fila');\n`);
  const u = new URL(DATABASE_URL);
  const c = String(flags["pgbench-clients"]);
  const args = [
    "-n",
    "-f",
    script,
    "-c",
    c,
    "-j",
    String(Math.min(2, flags["pgbench-clients"])),
    "-T",
    String(flags["pgbench-seconds"]),
    "-h",
    u.hostname,
    "-p",
    u.port || "5432",
    "-U",
    decodeURIComponent(u.username || "postgres"),
    u.pathname.slice(1),
  ];
  w.mark();
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn("pgbench", args, { env: { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) }, stdio: ["ignore", "pipe", "pipe"] });
    children.add(p);
    let text = "";
    p.stdout!.on("data", (d: Buffer) => (text += d.toString()));
    p.stderr!.on("data", (d: Buffer) => (text += d.toString()));
    p.on("error", reject);
    p.on("exit", (code) => {
      children.delete(p);
      if (code === 0) resolve(text);
      else reject(new Error(`pgbench exited ${code}: ${text.slice(-500)}`));
    });
  });
  const cpu = w.mark();
  await pgc.query(`DROP TABLE bench_api_pgbench`);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
  return {
    clients: flags["pgbench-clients"],
    seconds: flags["pgbench-seconds"],
    transactions: num(/number of transactions actually processed: (\d+)/),
    tps: r1(num(/tps = ([\d.]+) \(without initial connection time\)/)),
    latencyAvgMs: num(/latency average = ([\d.]+) ms/),
    command: `pgbench ${args.join(" ").replace(script, "<INSERT INTO bench_api_pgbench (v) VALUES ('una fila')>")}`,
    cpu,
  };
}

/** Waits (up to maxMs) for the machine to be quiet before starting: other work on it skews every figure. */
async function waitQuietMachine(maxMs: number): Promise<{ busyPct: number; waitedMs: number }> {
  const start = now();
  let busyPct = 100;
  while (true) {
    const a = readSystemCpu();
    await sleep(2000);
    const b = readSystemCpu();
    busyPct = Math.round(((b.busyMs - a.busyMs) / Math.max(1, b.totalMs - a.totalMs)) * 100);
    if (busyPct <= 15 || now() - start > maxMs) return { busyPct, waitedMs: Math.round(now() - start) };
    log(`the machine is ${busyPct}% busy with other work; waiting for it to quiet down …`);
  }
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<number> {
  const commit = commitOf(flags.at);
  const built = existsSync(path.join(ROOT, ".next/BUILD_ID"));
  const mode: Web["mode"] = flags["api-only"] || !built ? "api-only" : "next";
  if (mode === "api-only") {
    log(
      built
        ? "--api-only: the web process is bench/support/server.ts (tRPC + socket.io, no Next)"
        : "no Next build (.next/BUILD_ID missing): the web process is bench/support/server.ts (tRPC + socket.io, NO Next) — not what npm start runs",
    );
  }
  const webRoot = flags.at ? snapshot(flags.at) : ROOT;
  if (flags.at) log(`web process runs ${flags.at} (${commit}) from ${webRoot}`);

  const quiet = flags["quiet-wait"] > 0 ? await waitQuietMachine(flags["quiet-wait"] * 1000) : null;
  if (quiet) log(`machine ${quiet.busyPct}% busy before the run${quiet.busyPct > 15 ? " (still busy: the figures will be pessimistic)" : ""}`);

  // Database: own database, emptied; people and the bulk tickets by SQL.
  const { client: pgc, tickets: bulk, seedMs } = await prepareWorkload(
    DATABASE_URL,
    { agents: Math.max(1, flags.agents), customers: Math.max(1, flags["customer-pool"]), tickets: flags.tickets },
    log,
  );
  const redis = await cleanRedis(REDIS_URL, REDIS_PREFIX, log);
  let t = now();

  const profileDir = flags.profile ? mkdtempSync(path.join(os.tmpdir(), "ventanilla-bench-api-prof-")) : null;
  t = now();
  const web = await startWeb(webRoot, mode, profileDir);
  const w = watch(web.pid);
  const atStart = w.mark();
  log(`web process ${web.pid} (${mode === "next" ? "src/server/main.ts, Next + tRPC + socket.io" : "bench/support/server.ts, no Next"}) on ${web.url} in ${(now() - t).toFixed(0)} ms, rss ${atStart.webRssMb} MB`);

  // One customer creates, one agent lists: real next-auth session cookies signed with the run's secret.
  const cookieFor = async (userId: string) =>
    `next-auth.session-token=${await encode({ token: { sub: userId }, secret: BENCH_SECRET, maxAge: 24 * 3600 })}`;
  const customer = customerId(1);
  const agent = agentId(1);
  const customerCookie = await cookieFor(customer);
  const agentCookie = await cookieFor(agent);

  // The wire format of the commit under test: superjson before the switch to devalue (src/shared/transformer.ts).
  const wire = tRPCWire(webRoot);
  let seq = 0;
  const PRIORITIES = ["HIGH", "MEDIUM", "LOW"] as const;
  /** What the portal's form sends: subject, description, priority and a fresh clientRequestId (a UUID per form). */
  const createBody = () => {
    const i = ++seq;
    return JSON.stringify(
      wire.encode({
        subject: `Bench ${i}: no puedo acceder al portal`,
        description: `Mensaje de prueba ${i}.\nEl sistema no responde desde esta mañana y necesito entrar para revisar mis facturas.`,
        priority: PRIORITIES[i % 3],
        clientRequestId: randomUUID(),
      }),
    );
  };
  const createReq: AutocannonRequest = {
    method: "POST",
    path: "/api/trpc/ticket.create",
    headers: { cookie: customerCookie, "content-type": "application/json" },
    body: createBody(),
    setupRequest: (req) => ({ ...req, body: createBody() }),
  };
  const listPath = `/api/trpc/ticket.list?input=${encodeURIComponent(JSON.stringify(wire.encode({ limit: flags["list-limit"] })))}`;
  const listReq: AutocannonRequest = { method: "GET", path: listPath, headers: { cookie: agentCookie } };

  // Smoke check: each request answers 200 with what the app's client expects.
  {
    const res = await fetch(`${web.url}/api/trpc/ticket.create`, { method: "POST", headers: { ...createReq.headers }, body: createBody() });
    const body = await res.text();
    const id = wire.decode<{ id?: string; created?: boolean }>((JSON.parse(body) as { result?: { data?: unknown } }).result?.data);
    if (res.status !== 200 || !id?.id || !id.created) throw new Error(`ticket.create smoke check: ${res.status} ${body.slice(0, 300)}`);
    const res2 = await fetch(`${web.url}${listPath}`, { headers: { cookie: agentCookie } });
    const body2 = await res2.text();
    const items = wire.decode<{ items?: unknown[] }>((JSON.parse(body2) as { result?: { data?: unknown } }).result?.data)?.items;
    if (res2.status !== 200 || items?.length !== Math.min(flags["list-limit"], bulk + 1)) throw new Error(`ticket.list smoke check: ${res2.status} ${body2.slice(0, 300)}`);
    log(`smoke check: ticket.create 200 (ticket ${id.id}), ticket.list 200 (${items.length} rows, ${body2.length} bytes)`);
  }

  const phases: Phase[] = [];
  const marks: Record<string, PhaseCpu> = { start: atStart };
  const run = async (name: string, req: AutocannonRequest, opts: { connections: number; duration?: number; amount?: number }, counted = true) => {
    await sleep(1000);
    w.mark();
    const r = await runLoad(web.url, req, opts);
    const cpu = w.mark();
    if (!counted) {
      marks[name] = cpu;
      log(`${name}: ${r.ok} requests (not counted)${r.non200 || r.errors ? `, ${r.non200} non-200, ${r.errors} errors` : ""}`);
      return;
    }
    const p: Phase = {
      name,
      connections: opts.connections,
      ok: r.ok,
      non200: r.non200,
      statuses: r.statuses,
      errors: r.errors,
      wallS: r1(r.wallMs / 1000),
      rps: r1(r.ok / (r.wallMs / 1000)),
      ms: summarize(r.lat),
      cpu,
      webCpuMsPerRequest: Math.round(((cpu.webCpuPct / 100) * cpu.wallMs * 100) / Math.max(1, r.ok)) / 100,
    };
    phases.push(p);
    log(
      `${name}: ${p.ok} × 200 in ${p.wallS} s = ${p.rps}/s, p50 ${fmtMs(p.ms.p50)} p95 ${fmtMs(p.ms.p95)} p99 ${fmtMs(p.ms.p99)} ms; ` +
        `web ${cpu.webCpuPct}% CPU, rss ${cpu.webRssMb} MB${p.non200 || p.errors ? `; ${p.non200} non-200 ${JSON.stringify(p.statuses)}, ${p.errors} errors` : ""}`,
    );
  };

  const D = flags.duration;
  if (flags.warmup > 0) await run("create warm-up ×4", createReq, { connections: 4, duration: flags.warmup }, false);
  await run("ticket.create ×1", createReq, { connections: 1, amount: flags["create-seq"] });
  await run("ticket.create ×4", createReq, { connections: 4, duration: D });
  await run("ticket.create ×16", createReq, { connections: 16, duration: D });
  const { rows: counted } = await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM "Ticket"`);
  const ticketsAtList = Number(counted[0]!.n);
  log(`ticket.list over ${ticketsAtList} tickets (${bulk} bulk + ${ticketsAtList - bulk} created by the phases above)`);
  if (flags.warmup > 0) await run("list warm-up ×50", listReq, { connections: 50, duration: flags.warmup }, false);
  await run("ticket.list ×1", listReq, { connections: 1, duration: D });
  await run("ticket.list ×50", listReq, { connections: 50, duration: D });

  // Enqueued in the request path? Every create stages one mail and enqueues its job before answering.
  const queued = await redis.llen(`${REDIS_PREFIX}:bull:notifications:wait`);
  const { rows: staged } = await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM "OutboundEmail"`);

  await sleep(1000);
  log(`pgbench: one-row INSERT, ${flags["pgbench-clients"]} clients for ${flags["pgbench-seconds"]} s …`);
  const pgb = await pgbench(pgc, w);
  log(`pgbench: ${pgb.tps} inserts/s (latency avg ${pgb.latencyAvgMs} ms), postgres ${pgb.cpu.postgresCpuPct}% CPU`);

  // Stop the web process (SIGTERM: main.ts closes the server and Next and exits; the profile is written then).
  const end = w.mark();
  w.stop();
  web.proc.kill("SIGTERM");
  const code = await Promise.race([web.exit, sleep(20_000).then(() => "timeout" as const)]);
  if (code === "timeout") {
    web.proc.kill("SIGKILL");
    web.errors.push("web process did not exit within 20 s of SIGTERM");
  }
  await clearRedisPrefix(redis, REDIS_PREFIX);
  redis.disconnect();
  await pgc.end();

  let profile: ProfileSummary | null = null;
  if (profileDir) {
    const files = readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"));
    if (files.length) profile = summarizeCpuProfile(path.join(profileDir, files[0]!), webRoot, 25);
    else web.errors.push(`--profile: no .cpuprofile written in ${profileDir}`);
  }

  // ── report ──────────────────────────────────────────────────────────────────────────────
  const byName = (n: string) => phases.find((p) => p.name === n)!;
  const c1 = byName("ticket.create ×1");
  const c4 = byName("ticket.create ×4");
  const l50 = byName("ticket.list ×50");
  const checks = [
    { name: "ticket.create with 4 clients", value: c4.rps, unit: "/s", target: `≥ ${GOALS.createRps4}`, pass: c4.rps >= GOALS.createRps4 },
    { name: "ticket.create p95, one at a time", value: c1.ms.p95, unit: " ms", target: `< ${GOALS.createP95Seq}`, pass: c1.ms.p95 < GOALS.createP95Seq },
    { name: "ticket.list with 50 clients", value: l50.rps, unit: "/s", target: `≥ ${GOALS.listRps50}`, pass: l50.rps >= GOALS.listRps50 },
    { name: "ticket.list p99 with 50 clients", value: l50.ms.p99, unit: " ms", target: `< ${GOALS.listP99At50}`, pass: l50.ms.p99 < GOALS.listP99At50 },
  ];
  const integrity = [
    ...phases.filter((p) => p.non200 || p.errors).map((p) => `${p.name}: ${p.non200} non-200 responses ${JSON.stringify(p.statuses)}, ${p.errors} request errors`),
    ...web.errors.map((e) => `web: ${e}`),
  ];
  const warnings: string[] = [];
  if (quiet && quiet.busyPct > 15) warnings.push(`the machine was ${quiet.busyPct}% busy when the run started`);
  // Other work: machine busy beyond what web + postgres + this process account for (share of all cores).
  for (const p of phases) {
    const ours = (p.cpu.webCpuPct + p.cpu.postgresCpuPct + p.cpu.driverCpuPct) / os.cpus().length;
    if (p.cpu.machineBusyPct - p.cpu.machineIrqPct - ours > 15) warnings.push(`${p.name}: other processes used ~${Math.round(p.cpu.machineBusyPct - p.cpu.machineIrqPct - ours)}% of the machine; run again on a quiet machine`);
  }

  const results = {
    benchmark: "api",
    date: new Date().toISOString(),
    commit,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "?",
      memoryGb: Math.round(os.totalmem() / 1e9),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      busyBeforeRunPct: quiet?.busyPct ?? null,
    },
    config: { ...flags, database: new URL(DATABASE_URL).pathname.slice(1), redisPrefix: REDIS_PREFIX },
    web: {
      mode,
      command: mode === "next" ? "NODE_ENV=production node --import tsx src/server/main.ts" : "NODE_ENV=production node --import tsx bench/support/server.ts",
      source: flags.at ? `git archive ${flags.at}` : "working tree",
      rssAtStartMb: atStart.webRssMb,
      peakRssMb: Math.max(...phases.map((p) => p.cpu.webPeakRssMb), end.webPeakRssMb, pgb.cpu.webPeakRssMb),
      kernelPeakRssMb: end.webKernelPeakRssMb,
      marks,
    },
    data: { bulkTickets: bulk, seedSeconds: r1(seedMs / 1000), ticketsAtList, listPageSize: flags["list-limit"] },
    notifications: { outboundEmailRows: Number(staged[0]!.n), jobsWaitingInRedis: queued },
    phases,
    pgbench: pgb,
    createShareOfPgbench: { x1: r1((c1.rps / pgb.tps) * 100), x4: r1((c4.rps / pgb.tps) * 100), x16: r1((byName("ticket.create ×16").rps / pgb.tps) * 100) },
    profile,
    checks,
    warnings,
    integrityErrors: integrity,
  };

  const out: string[] = [""];
  out.push(
    `REQUEST PATH — ${mode === "next" ? "src/server/main.ts (Next + tRPC), NODE_ENV=production" : "bench/support/server.ts (NO Next)"}, ` +
      `${commit ?? "?"}, ${ticketsAtList.toLocaleString("en")} tickets at ticket.list; ms per request (autocannon, loopback)`,
    table(
      ["phase", "clients", "200s", "req/s", "p50", "p95", "p99", "max", "web CPU%", "CPU ms/req", "web RSS", "pg CPU%", "driver%"],
      phases.map((p) => [
        p.name,
        p.connections,
        p.ok,
        p.rps.toFixed(1),
        fmtMs(p.ms.p50),
        fmtMs(p.ms.p95),
        fmtMs(p.ms.p99),
        fmtMs(p.ms.max),
        p.cpu.webCpuPct,
        p.webCpuMsPerRequest.toFixed(1),
        `${p.cpu.webPeakRssMb} MB`,
        p.cpu.postgresCpuPct,
        p.cpu.driverCpuPct,
      ]),
    ),
    `pgbench (same run): one-row INSERT, ${pgb.clients} clients, ${pgb.seconds} s: ${pgb.tps} inserts/s (latency avg ${pgb.latencyAvgMs} ms). ` +
      `ticket.create ×4 = ${results.createShareOfPgbench.x4}% of it, ×16 = ${results.createShareOfPgbench.x16}%`,
    `web process: rss ${atStart.webRssMb} MB at start, peak ${results.web.peakRssMb} MB (kernel max ${results.web.kernelPeakRssMb} MB); ` +
      `${queued} notification jobs waiting in Redis for ${staged[0]!.n} staged mails (enqueued in the request path; no workers run)`,
    "",
  );
  if (profile) {
    out.push(
      `WEB CPU PROFILE — ${r1(profile.busyMs / 1000)} s of CPU over ${r1(profile.wallMs / 1000)} s (whole process life, start-up included; self time)`,
      table(["charged to (native code and node internals charged to their caller)", "ms", "%"], profile.byCaller.slice(0, 15).map((a) => [a.area, Math.round(a.ms), a.pct])),
      table(["app function nearest on the stack", "ms", "%"], profile.byAppFunction.slice(0, 12).map((a) => [a.fn.slice(0, 90), Math.round(a.ms), a.pct])),
      table(["function", "where", "ms", "%"], profile.topFunctions.slice(0, 15).map((f) => [f.fn.slice(0, 40), f.where.slice(0, 70), Math.round(f.ms), f.pct])),
      "",
    );
  }
  out.push(
    ...checks.map((c) => `${c.pass ? "PASS" : "FAIL"}  ${c.name}: ${c.unit === "/s" ? c.value.toFixed(1) : fmtMs(c.value)}${c.unit} (goal ${c.target}${c.unit})`),
    ...warnings.map((x) => `WARN  ${x}`),
    ...integrity.map((e) => `ERROR ${e}`),
  );
  console.log(out.join("\n"));

  const file = flags.out ? path.resolve(ROOT, flags.out) : path.join(ROOT, "bench", "results", `api-${results.date.slice(0, 10)}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(ROOT, file)}${profileDir ? `\nweb CPU profile: ${profileDir}` : ""}`);

  return integrity.length ? 1 : flags.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

function cleanup() {
  killChildren();
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
