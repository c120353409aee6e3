// `npm run bench:live`: live-update fan-out and ticket-list latency, end to end and at scale.
//
//   web process   bench/support/server.ts   startServer (tRPC + socket.io + Redis adapter), own DB/prefix
//   clients ×N    bench/support/clients.ts  1,000 agent sockets (queue room) + 20 customer sockets
//   this process  orchestrator and driver   tRPC over HTTP: ticket.create / ticket.reply at a steady
//                                           rate, then ticket.list against 100,000 tickets
//
// See bench/README.md for what each number means. Flags: --help.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createTRPCClient, httpLink } from "@trpc/client";
import { encode } from "next-auth/jwt";
import { transformer } from "~/shared/transformer";
import type { AppRouter } from "~/server/api/root";
import { DRIVER_ID, agentId, customerId, prepareWorkload } from "./support/db";
import { clockSkewMs, now, type BroadcastStats, type Deliveries, type FromClients, type FromServer, type ProcessStats, type SocketSpec, type ToClients, type ToServer } from "./support/protocol";
import { fmtMs, summarize, table, type Summary } from "./support/stats";
import { BENCH_SECRET, benchAppEnv } from "./support/app-env";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { runBench } from "./support/run";
import { cleanRedis, clearRedisPrefix } from "./support/local";
import { gitCommit } from "./support/git";

const ROOT = path.resolve(import.meta.dirname, "..");
const REDIS_PREFIX = "vt-bench";
const FANOUT_TARGET_MS = 50;
const LIST_TARGET_MS = 30;

// ── flags ─────────────────────────────────────────────────────────────────────────────────────
const DEFAULTS = {
  clients: 1000, // agent sockets (all in the queue room)
  customers: 20, // customer sockets, each subscribed (ticket:join) to its own ticket
  rate: 20, // mutations per second, alternating ticket.create and ticket.reply
  duration: 30, // measured seconds
  warmup: 3, // seconds at the same rate before measuring (not counted)
  drain: 2, // seconds to wait for late events after the last mutation
  "client-procs": 2, // processes the sockets are split over
  "connect-concurrency": 50,
  tickets: 100_000, // tickets bulk-inserted before the list benchmark
  "customer-pool": 2000, // customers the bulk tickets are spread over
  "list-iterations": 300, // ticket.list calls per variant (after 20 warm-up calls)
  "max-inflight": 200,
  timeout: 900, // hard limit for the whole run, seconds
};
type Flags = typeof DEFAULTS & { out?: string; strict: boolean; "skip-list": boolean; "skip-live": boolean };

function parseFlags(argv: string[]): Flags {
  const flags = parseBenchFlags(argv, {
    defaults: DEFAULTS,
    switches: ["strict", "skip-list", "skip-live"] as const,
    strings: ["out"] as const,
    usage: "npm run bench:live -- [--flag=value …]",
    help: `  --out=bench/results/live-<date>.json\n  --skip-list  --skip-live  --strict (exit 1 when a target is missed)`,
  });
  if (flags.rate <= 0 || flags["client-procs"] < 1) throw new Error("--rate and --client-procs must be positive");
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
assertLoopback(DATABASE_URL, REDIS_URL);

const t0Run = now();
const log = (line: string) => process.stderr.write(`[bench ${((now() - t0Run) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

// ── children ──────────────────────────────────────────────────────────────────────────────────
const children = new Set<ChildProcess>();

function spawnTs(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  // `node --import tsx` (what `npx tsx` runs) without npx's extra processes, plus an IPC channel.
  const child = fork(path.join(ROOT, script), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "json",
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function killChildren() {
  for (const child of children) if (child.exitCode === null && child.pid) child.kill("SIGKILL");
}

/** Sends `msg` (if any) and resolves with the child's next message of type `type`. */
function request<M extends { type: string }, T extends M["type"]>(
  child: ChildProcess,
  msg: object | null,
  type: T,
  timeoutMs: number,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${type}" from child ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: M) => {
      if (m.type === type) done(null, m as Extract<M, { type: T }>);
      else if (m.type === "error") done(new Error(`child ${child.pid}: ${(m as unknown as { message: string }).message}`));
    };
    const onExit = (code: number | null) => done(new Error(`child ${child.pid} exited (${code}) before "${type}"`));
    function done(err: Error | null, value?: Extract<M, { type: T }>) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
    if (msg) child.send(msg);
  });
}
const askServer = <T extends FromServer["type"]>(c: ChildProcess, msg: ToServer | null, type: T, ms = 30_000) =>
  request<FromServer, T>(c, msg, type, ms);
const askClients = <T extends FromClients["type"]>(c: ChildProcess, msg: ToClients | null, type: T, ms: number) =>
  request<FromClients, T>(c, msg, type, ms);

// ── helpers ───────────────────────────────────────────────────────────────────────────────────
type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

function trpcAs(url: string, cookie: string): Api {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/api/trpc`, transformer, headers: { cookie } })] });
}

async function cookieFor(userId: string): Promise<string> {
  return `next-auth.session-token=${await encode({ token: { sub: userId }, secret: BENCH_SECRET, maxAge: 24 * 3600 })}`;
}

/** The open-files limit children get (Node raises its soft limit to the hard one at start-up). */
function openFilesLimit(): number {
  try {
    const out = execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
    return out === "unlimited" ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return Number.NaN;
  }
}


const errorText = (err: unknown) => ((err as Error).message ?? String(err)).split("\n")[0]!.slice(0, 200);

// ── the live workload ─────────────────────────────────────────────────────────────────────────
interface Op {
  kind: "create" | "reply";
  warmup: boolean;
  /** Client-side time taken just before the request is sent, and when its response arrived. */
  t0: number;
  t1: number;
  /** How late the op started against its schedule (driver health). */
  lagMs: number;
  customerId: string;
  /** `event|id` of the socket event it should cause. */
  key?: string;
  error?: string;
}

interface Customer {
  id: string;
  api: Api;
  /** The ticket this customer's socket is subscribed to. */
  ticketId: string;
}

async function drive(
  opts: { rate: number; seconds: number; warmup: boolean; maxInflight: number },
  agentApi: Api,
  customers: Customer[],
  counter: { i: number },
  ops: Op[],
): Promise<{ skipped: number }> {
  const interval = 1000 / opts.rate;
  const total = Math.round(opts.rate * opts.seconds);
  const start = now() + 5;
  const pending = new Set<Promise<void>>();
  let skipped = 0;
  for (let k = 0; k < total; k++) {
    const due = start + k * interval;
    const wait = due - now();
    if (wait > 0.5) await sleep(wait);
    if (pending.size >= opts.maxInflight) {
      skipped++;
      continue;
    }
    const i = counter.i++;
    const customer = customers[Math.floor(i / 2) % customers.length]!;
    const op: Op = { kind: i % 2 === 0 ? "create" : "reply", warmup: opts.warmup, t0: 0, t1: 0, lagMs: 0, customerId: customer.id };
    ops.push(op);
    const p = (async () => {
      op.t0 = now();
      op.lagMs = op.t0 - due;
      try {
        if (op.kind === "create") {
          const res = await customer.api.ticket.create.mutate({
            subject: `Bench ${i}: no puedo acceder`,
            description: `Mensaje de prueba ${i}.\nEl sistema no responde desde esta mañana.`,
            priority: (["HIGH", "MEDIUM", "LOW"] as const)[i % 3],
          });
          op.t1 = now();
          op.key = `ticket:created|${res.id}`;
        } else {
          const res = await agentApi.ticket.reply.mutate({ ticketId: customer.ticketId, body: `Respuesta ${i}: ya lo estamos revisando.` });
          op.t1 = now();
          op.key = `message:created|${res.id}`;
        }
      } catch (err) {
        op.t1 = now();
        op.error = errorText(err);
      }
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }
  await Promise.all(pending);
  return { skipped };
}

interface FanoutResult {
  events: number;
  /** Events that reached every socket that should get it (all agents + the ticket's customer). */
  complete: number;
  incomplete: number;
  /** Deliveries to a customer socket that should not have received the event. */
  leaked: number;
  expectedRecipients: number;
  /** Mutation start → arrival at the LAST expected socket (the headline number). */
  allRecipientsMs: Summary;
  /** Mutation start → arrival at the first socket. */
  firstRecipientMs: Summary;
  /** Mutation start → arrival, over every single delivery. */
  perDeliveryMs: Summary;
  /** Mutation start → the server's emit (`at`): HTTP, auth, transaction. */
  toServerEmitMs: Summary;
  /** Server emit → arrival at the last socket: socket.io broadcast + client processing. */
  emitToAllMs: Summary;
}

function analyzeFanout(ops: Op[], merged: Map<string, Deliveries>, agents: number): FanoutResult {
  const all: number[] = [];
  const first: number[] = [];
  const per: number[] = [];
  const server: number[] = [];
  const broadcast: number[] = [];
  let complete = 0;
  let leaked = 0;
  for (const op of ops) {
    const d = op.key ? merged.get(op.key) : undefined;
    if (!d) continue;
    leaked += d.customers.filter((c) => c !== op.customerId).length;
    const ok = d.agents === agents && d.customers.includes(op.customerId);
    if (!ok) continue;
    complete++;
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of d.t) {
      per.push(t - op.t0);
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    all.push(hi - op.t0);
    first.push(lo - op.t0);
    server.push(d.at - op.t0);
    broadcast.push(hi - d.at);
  }
  const events = ops.filter((o) => o.key).length;
  return {
    events,
    complete,
    incomplete: events - complete,
    leaked,
    expectedRecipients: agents + 1,
    allRecipientsMs: summarize(all),
    firstRecipientMs: summarize(first),
    perDeliveryMs: summarize(per),
    toServerEmitMs: summarize(server),
    emitToAllMs: summarize(broadcast),
  };
}

// ── the list benchmark ───────────────────────────────────────────────────────────────────────
interface ListVariant {
  name: string;
  api: Api;
  input: Parameters<Api["ticket"]["list"]["query"]>[0];
}

async function benchList(variants: ListVariant[], iterations: number) {
  const times = variants.map(() => [] as number[]);
  const rows = variants.map(() => 0);
  for (let i = 0; i < 20; i++) for (const v of variants) await v.api.ticket.list.query(v.input);
  // Round-robin, so every variant sees the same server and cache conditions.
  for (let i = 0; i < iterations; i++) {
    for (const [j, v] of variants.entries()) {
      const t = now();
      const res = await v.api.ticket.list.query(v.input);
      times[j]!.push(now() - t);
      rows[j] = res.items.length;
    }
  }
  return Object.fromEntries(variants.map((v, j) => [v.name, { input: v.input, rows: rows[j]!, ms: summarize(times[j]!) }]));
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const agents = flags.clients;
  const nCustomers = flags.customers;
  const procs = Math.min(flags["client-procs"], Math.max(1, agents + nCustomers));
  const limit = openFilesLimit();
  const serverFds = agents + nCustomers + 200;
  log(
    `config: ${agents} agent + ${nCustomers} customer sockets over ${procs} client process(es), ${flags.rate} mutations/s for ${flags.duration}s ` +
      `(+${flags.warmup}s warm-up), ${flags.tickets} tickets for ticket.list; open-files limit = ${limit}`,
  );
  if (limit < serverFds) {
    throw new Error(`open-files limit ${limit} is too low for ${agents + nCustomers} sockets in the web process; raise it (\`ulimit -n ${serverFds * 2}\`) in the shell that runs the benchmark`);
  }

  // Database: own database, emptied, people + bulk tickets by SQL.
  const { client: pg, tickets: ticketCount, seedMs } = await prepareWorkload(
    DATABASE_URL,
    { agents, customers: Math.max(nCustomers, flags["customer-pool"]), tickets: flags.tickets },
    log,
  );
  const redis = await cleanRedis(REDIS_URL, REDIS_PREFIX, log);
  let t = now();

  // The web process.
  const server = spawnTs(
    "bench/support/server.ts",
    benchAppEnv({ databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, redisPrefix: REDIS_PREFIX }, { HOST: "127.0.0.1", PORT: "0" }),
  );
  const ready = await askServer(server, null, "ready", 60_000);
  const url = ready.url;
  log(`web process ${server.pid} listening on ${url} (rss ${ready.stats.rssMb} MB)`);
  const serverMarks: Record<string, ProcessStats & { sockets?: number; broadcast?: BroadcastStats }> = { ready: ready.stats };
  const mark = async (label: string) => {
    const m = await askServer(server, { type: "mark", label }, "mark");
    serverMarks[label] = { ...m.stats, sockets: m.sockets, broadcast: m.broadcast };
    return m;
  };

  const agentApi = trpcAs(url, await cookieFor(DRIVER_ID));
  const customerIds = Array.from({ length: nCustomers }, (_, i) => customerId(i + 1));
  const customerCookies = await Promise.all(customerIds.map(cookieFor));
  const customerApis = customerCookies.map((c) => trpcAs(url, c));

  // ticket.list over HTTP, with the server otherwise idle.
  let list: Awaited<ReturnType<typeof benchList>> | null = null;
  if (!flags["skip-list"] && ticketCount > 0) {
    const offset = Math.floor(ticketCount / 2);
    const deep = await pg.query<{ id: string }>(`SELECT id FROM "Ticket" ORDER BY "createdAt", id OFFSET $1 LIMIT 1`, [offset]);
    const own = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "Ticket" WHERE "requesterId" = $1`, [customerIds[0] ?? customerId(1)]);
    const customerApi = customerApis[0] ?? trpcAs(url, await cookieFor(customerId(1)));
    log(`ticket.list: ${flags["list-iterations"]} calls per variant (customer ${customerId(1)} owns ${own.rows[0]!.n} tickets)`);
    list = await benchList(
      [
        { name: "agent queue (default)", api: agentApi, input: {} },
        { name: "agent queue, status OPEN+IN_PROGRESS, priority HIGH", api: agentApi, input: { status: ["OPEN", "IN_PROGRESS"], priority: ["HIGH"] } },
        { name: `agent queue, page at ${offset} (cursor)`, api: agentApi, input: { cursor: deep.rows[0]!.id } },
        { name: "customer's own tickets", api: customerApi, input: {} },
      ],
      flags["list-iterations"],
    );
    await mark("list");
  }

  // Live fan-out.
  let live: Record<string, unknown> | null = null;
  let integrityErrors: string[] = [];
  if (!flags["skip-live"]) {
    t = now();
    const agentCookies = await Promise.all(Array.from({ length: agents }, (_, i) => cookieFor(agentId(i + 1))));
    const specs: SocketSpec[][] = Array.from({ length: procs }, () => []);
    agentCookies.forEach((cookie, i) => specs[i % procs]!.push({ userId: agentId(i + 1), cookie, kind: "agent" }));
    customerCookies.forEach((cookie, i) => specs[i % procs]!.push({ userId: customerIds[i]!, cookie, kind: "customer" }));
    const clientProcs = specs.map(() => spawnTs("bench/support/clients.ts", { ...process.env, NODE_ENV: "production" }));
    const connected = await Promise.all(
      clientProcs.map((c, i) =>
        askClients(c, { type: "connect", url, sockets: specs[i]!, concurrency: Math.ceil(flags["connect-concurrency"] / procs) }, "connected", 120_000),
      ),
    );
    const ok = connected.reduce((n, c) => n + c.ok, 0);
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    log(`${ok} sockets connected in ${(now() - t).toFixed(0)} ms (${failed} failed${failed ? `: ${connected.flatMap((c) => c.errors).join("; ")}` : ""})`);
    if (failed) throw new Error(`${failed} sockets failed to connect`);
    const afterConnect = await mark("connect");
    log(`web process: ${afterConnect.sockets} engine.io clients, rss ${afterConnect.stats.rssMb} MB`);

    // One ticket per customer, which that customer's socket then joins (as the portal's ticket page does).
    const customers: Customer[] = [];
    for (const [i, id] of customerIds.entries()) {
      const created = await customerApis[i]!.ticket.create.mutate({ subject: `Bench: ticket de ${id}`, description: "Ticket al que el cliente se suscribe." });
      customers.push({ id, api: customerApis[i]!, ticketId: created.id });
    }
    const joins = customers.map((c) => ({ userId: c.id, ticketId: c.ticketId }));
    const joined = await Promise.all(
      clientProcs.map((c, i) => askClients(c, { type: "join", joins: joins.filter((_, j) => j % procs === i) }, "joined", 30_000)),
    );
    const joinFailed = joined.reduce((n, j) => n + j.failed, 0);
    if (joinFailed) throw new Error(`ticket:join failed: ${joined.flatMap((j) => j.errors).join("; ")}`);
    log(`${customers.length} customers joined their tickets`);

    const ops: Op[] = [];
    const counter = { i: 0 };
    if (flags.warmup > 0) {
      await drive({ rate: flags.rate, seconds: flags.warmup, warmup: true, maxInflight: flags["max-inflight"] }, agentApi, customers, counter, ops);
      log(`warm-up: ${ops.length} mutations`);
    }
    await mark("warmup");
    log(`measuring: ${flags.rate}/s for ${flags.duration}s …`);
    const measuredStart = ops.length;
    const tLive = now();
    const { skipped } = await drive(
      { rate: flags.rate, seconds: flags.duration, warmup: false, maxInflight: flags["max-inflight"] },
      agentApi,
      customers,
      counter,
      ops,
    );
    const liveWallMs = now() - tLive;
    await sleep(flags.drain * 1000);
    const liveMark = await mark("live");
    const measured = ops.slice(measuredStart);

    const reports = await Promise.all(clientProcs.map((c) => askClients(c, { type: "collect" }, "report", 60_000)));
    const merged = new Map<string, Deliveries>();
    for (const r of reports) {
      for (const [k, d] of Object.entries(r.deliveries)) {
        const m = merged.get(k);
        if (!m) merged.set(k, { ...d, customers: [...d.customers], t: [...d.t] });
        else {
          m.agents += d.agents;
          m.customers.push(...d.customers);
          for (const x of d.t) m.t.push(x);
        }
      }
    }
    for (const c of clientProcs) c.send({ type: "close" } satisfies ToClients);

    const creates = measured.filter((o) => o.kind === "create");
    const replies = measured.filter((o) => o.kind === "reply");
    const errors = measured.filter((o) => o.error);
    const fanCreated = analyzeFanout(creates, merged, agents);
    const fanMessage = analyzeFanout(replies, merged, agents);
    const fanAll = analyzeFanout(measured, merged, agents);
    const disconnects = reports.reduce((n, r) => n + r.disconnects, 0);
    const other: Record<string, number> = {};
    for (const r of reports) for (const [k, v] of Object.entries(r.other)) other[k] = (other[k] ?? 0) + v;

    integrityErrors = [
      ...(errors.length ? [`${errors.length} mutations failed (first: ${errors[0]!.error})`] : []),
      ...(fanAll.incomplete ? [`${fanAll.incomplete} events did not reach every expected socket`] : []),
      ...(fanAll.leaked ? [`${fanAll.leaked} deliveries reached a customer who should not get them`] : []),
      ...(disconnects ? [`${disconnects} sockets disconnected during the run`] : []),
      ...(skipped ? [`${skipped} mutations skipped (more than ${flags["max-inflight"]} in flight)`] : []),
    ];

    live = {
      sockets: { agents, customers: nCustomers, clientProcesses: procs, connectMs: Math.round(now() - t) },
      mutationsPerSecond: flags.rate,
      achievedPerSecond: Math.round((measured.length / (liveWallMs / 1000)) * 10) / 10,
      durationS: flags.duration,
      mutations: measured.length,
      errors: errors.length,
      skipped,
      disconnects,
      unexpectedEvents: other,
      fanout: { "ticket:created": fanCreated, "message:created": fanMessage, all: fanAll },
      mutationMs: {
        "ticket.create": summarize(creates.filter((o) => !o.error).map((o) => o.t1 - o.t0)),
        "ticket.reply": summarize(replies.filter((o) => !o.error).map((o) => o.t1 - o.t0)),
      },
      driverStartLagMs: summarize(measured.map((o) => o.lagMs)),
      /** Synchronous time of each io.to(rooms).emit in the web process (measured there). */
      serverBroadcastMs: liveMark.broadcast,
      clientProcesses: reports.map((r) => r.stats),
      serverDuringLive: liveMark.stats,
      /** now() − Date.now() per process: confirms all processes read the same clock. */
      clockSkewMs: { driver: clockSkewMs(), server: liveMark.clockSkewMs, clients: reports.map((r) => r.clockSkewMs) },
    };
  }

  // Stop the web process; it reports its final memory on the way out.
  const stopped = await askServer(server, { type: "stop" }, "stopped", 15_000);
  serverMarks.stop = stopped.stats;
  await clearRedisPrefix(redis, REDIS_PREFIX);
  redis.disconnect();
  await pg.end();

  // ── report ──────────────────────────────────────────────────────────────────────────────
  const peakMb = Math.max(...Object.values(serverMarks).map((s) => s.peakMb));
  const kernelPeakMb = stopped.stats.maxRssMb;
  const results = {
    benchmark: "live",
    date: new Date().toISOString(),
    commit: gitCommit(ROOT),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "?",
      memoryGb: Math.round(os.totalmem() / 1e9),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      openFilesLimit: limit,
    },
    config: { ...flags, database: new URL(DATABASE_URL).pathname.slice(1), redisPrefix: REDIS_PREFIX },
    targets: {
      fanoutP95Ms: FANOUT_TARGET_MS,
      listP95Ms: LIST_TARGET_MS,
    },
    live,
    list: list ? { tickets: ticketCount, seedSeconds: Math.round(seedMs / 100) / 10, iterations: flags["list-iterations"], variants: list } : null,
    server: {
      peakRssMb: peakMb,
      kernelMaxRssMb: kernelPeakMb,
      rssAtStartMb: ready.stats.rssMb,
      rssWithSocketsMb: serverMarks.connect?.rssMb ?? null,
      peakRssDuringLiveMb: serverMarks.live?.peakWindowMb ?? null,
      marks: serverMarks,
    },
    integrityErrors,
  };

  const checks: { name: string; value: number; target: number }[] = [];
  const out: string[] = [""];
  if (live) {
    const fan = live.fanout as Record<string, FanoutResult>;
    const mut = live.mutationMs as Record<string, Summary>;
    const row = (name: string, s: Summary, target = "") => [name, s.n, fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.p99), fmtMs(s.max), target];
    out.push(
      `LIVE FAN-OUT — ${agents} agent + ${nCustomers} customer sockets, ${flags.rate} mutations/s for ${flags.duration}s ` +
        `(achieved ${live.achievedPerSecond}/s), ms from mutation start`,
      table(
        ["", "n", "p50", "p95", "p99", "max", "target"],
        [
          row("ticket:created → all 1,001 recipients".replace("1,001", String(agents + 1)), fan["ticket:created"]!.allRecipientsMs, `p95 < ${FANOUT_TARGET_MS}`),
          row("message:created → all recipients", fan["message:created"]!.allRecipientsMs, `p95 < ${FANOUT_TARGET_MS}`),
          row("both → all recipients", fan.all!.allRecipientsMs, `p95 < ${FANOUT_TARGET_MS}`),
          row("both → first recipient", fan.all!.firstRecipientMs),
          row("both → each delivery", fan.all!.perDeliveryMs),
          row("  of which: start → server emit", fan.all!.toServerEmitMs),
          row("  of which: server emit → last socket", fan.all!.emitToAllMs),
          [
            "  server: synchronous emit (web process)",
            (live.serverBroadcastMs as BroadcastStats).n,
            ...(["p50Ms", "p95Ms", "p99Ms", "maxMs"] as const).map((k) => fmtMs((live!.serverBroadcastMs as BroadcastStats)[k])),
            "",
          ],
          row("mutation ticket.create", mut["ticket.create"]!),
          row("mutation ticket.reply", mut["ticket.reply"]!),
        ],
      ),
      `complete events: ${fan.all!.complete}/${fan.all!.events}, leaked: ${fan.all!.leaked}, disconnects: ${live.disconnects}, ` +
        `errors: ${live.errors}, driver start lag p99: ${fmtMs((live.driverStartLagMs as Summary).p99)} ms`,
      "",
    );
    checks.push({ name: "fan-out p95 (all recipients)", value: fan.all!.allRecipientsMs.p95, target: FANOUT_TARGET_MS });
  }
  if (list) {
    out.push(
      `TICKET.LIST over HTTP — ${ticketCount.toLocaleString("en")} tickets, ${flags["list-iterations"]} calls per variant, ms`,
      table(
        ["", "rows", "p50", "p95", "p99", "max", "target"],
        Object.entries(list).map(([name, v]) => [name, v.rows, fmtMs(v.ms.p50), fmtMs(v.ms.p95), fmtMs(v.ms.p99), fmtMs(v.ms.max), `p95 < ${LIST_TARGET_MS}`]),
      ),
      "",
    );
    for (const [name, v] of Object.entries(list)) checks.push({ name: `ticket.list p95: ${name}`, value: v.ms.p95, target: LIST_TARGET_MS });
  }
  const cpu = serverMarks.live;
  out.push(
    `WEB PROCESS — peak RSS ${peakMb} MB (kernel max ${kernelPeakMb} MB); at start ${ready.stats.rssMb} MB, ` +
      `with sockets ${serverMarks.connect?.rssMb ?? "—"} MB` +
      (cpu ? `; during live: CPU ${Math.round(((cpu.cpuUserMs + cpu.cpuSystemMs) / cpu.wallMs) * 100)}% of a core, event-loop delay p99 ${cpu.eventLoop.p99Ms} ms` : ""),
    "",
    ...checks.map((c) => `${c.value < c.target ? "PASS" : "FAIL"}  ${c.name}: ${fmtMs(c.value)} ms (target < ${c.target} ms)`),
    ...integrityErrors.map((e) => `ERROR ${e}`),
  );
  console.log(out.join("\n"));

  const file = flags.out ? path.resolve(ROOT, flags.out) : path.join(ROOT, "bench", "results", `live-${results.date.slice(0, 10)}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...results, checks: checks.map((c) => ({ ...c, pass: c.value < c.target })) }, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(ROOT, file)}`);

  const missed = checks.some((c) => !(c.value < c.target));
  return integrityErrors.length ? 1 : flags.strict && missed ? 1 : 0;
}

runBench({
  main,
  timeoutSec: flags.timeout,
  log,
  abort: (code) => {
    killChildren();
    process.exit(code);
  },
  finish: killChildren,
});
