// `npm run bench:reports:webhooks`: webhook deliveries end to end, from the commit of the ticket
// change (a TicketEvent row: the trigger stages the delivery in that transaction) to the signed
// POST arriving at a receiver on loopback.
//
//   workers       node --import tsx workers/index.ts   the real workers process, unmodified (NOTIFY
//                                                      listener, webhooks queue, reconciler)
//   this process  orchestrator + receiver              writes the changes, receives and verifies the
//                                                      deliveries, fails half of them once (500)
//
// Prints deliveries/s (first change committed → last delivery accepted), end-to-end latency
// p50/p95/p99 (of all deliveries, and of those accepted at the first attempt), the workers' peak
// RSS, and saves the figures under bench/results/. Fails (exit 1) if a delivery is lost or if any
// accepted delivery's signature does not verify. Flags: --help.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { mailSecretsKey, sealSecret } from "~/server/modules/mail/admin/secret-box";
import { BENCH_SECRET, benchAppEnv } from "./support/app-env";
import { prepareDatabase } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { gitCommit } from "./support/git";
import { cleanRedis } from "./support/local";
import { readCpuMs, readMem } from "./support/proc";
import { runBench } from "./support/run";
import { fmtMs, summarize, table } from "./support/stats";

const ROOT = path.resolve(import.meta.dirname, "..");
const REDIS_PREFIX = "vt-bench-webhooks";
const RATE_TARGET = 200; // deliveries/s, at least

const flags = parseBenchFlags(process.argv.slice(2), {
  defaults: {
    deliveries: 1000,
    batch: 50, // changes per INSERT statement (one transaction each)
    "fail-share": 0.5, // share of deliveries the receiver refuses once with a 500
    "backoff-ms": 200, // WEBHOOKS_BACKOFF_MS of the workers: the first retry's delay
    drain: 120, // seconds to wait for the last delivery
    timeout: 600,
  },
  switches: ["strict"] as const,
  strings: ["out"] as const,
  usage: "npm run bench:reports:webhooks -- [--flag=value …]",
  help: "  --out=bench/results/webhooks-<date>.json  --strict (exit 1 below the 200/s target)",
});

const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_webhooks";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
assertLoopback(databaseUrl, redisUrl);

const log = (line: string) => console.log(`[bench:webhooks] ${line}`);
let workers: ChildProcess | null = null;
let receiver: http.Server | null = null;

async function main(): Promise<number> {
  const db = await prepareDatabase(databaseUrl);
  const redis = await cleanRedis(redisUrl, REDIS_PREFIX, log);
  const mailKey = randomBytes(32).toString("base64url");
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;

  // ── the receiver: verifies each signature as a receiver would, refuses a share once ──
  const committedAt = new Map<string, number>();
  const firstOk = new Map<string, { at: number; attempts: number }>();
  const seen = new Map<string, number>();
  let badSignatures = 0;
  let requests = 0;
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests++;
      const body = Buffer.concat(chunks).toString("utf8");
      const header = String(req.headers["ventanilla-signature"] ?? "");
      const parts = Object.fromEntries(header.split(",").map((p) => p.split("=") as [string, string]));
      const expected = Buffer.from(createHmac("sha256", secret).update(`${parts.t}.${body}`).digest("hex"));
      const given = Buffer.from(parts.v1 ?? "");
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        badSignatures++;
        res.statusCode = 400;
        return res.end("bad signature");
      }
      const id = String(req.headers["ventanilla-event-id"]);
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      // Deterministic share: the event id ends in 8 random hex digits.
      const failsOnce = parseInt(id.slice(-2), 16) < flags["fail-share"] * 256;
      if (failsOnce && n === 1) {
        res.statusCode = 500;
        return res.end("try again");
      }
      if (!firstOk.has(id)) firstOk.set(id, { at: performance.timeOrigin + performance.now(), attempts: n });
      res.end("ok");
    });
  });
  receiver.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => receiver!.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;

  // ── data: one customer, one category, the tickets, the webhook ──
  await db.query(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ('bench-wh-cust', 'cliente@bench.test', 'Cliente', 'CUSTOMER', 'es', now())`);
  const tickets = Math.min(flags.deliveries, 200);
  await db.query(
    `INSERT INTO "Ticket" (id, "trackingId", "replyToken", subject, channel, "requesterId", "updatedAt")
     SELECT 'bench-wh-t' || g, 'bench-wh-tr' || g, 'bench-wh-rt' || g, 'Ticket ' || g, 'PORTAL', 'bench-wh-cust', now() FROM generate_series(1, $1::int) g`,
    [tickets],
  );
  const sealed = sealSecret(mailSecretsKey({ MAIL_SECRETS_KEY: mailKey, NEXTAUTH_SECRET: BENCH_SECRET }), secret);
  await db.query(`INSERT INTO "Webhook" (id, url, events, "secretSealed", "updatedAt") VALUES ('bench-wh', $1, ARRAY['ticket.updated'], $2, now())`, [
    `http://127.0.0.1:${port}/hook`,
    sealed,
  ]);

  // ── the workers process ──
  const env = benchAppEnv(
    { databaseUrl, redisUrl, redisPrefix: REDIS_PREFIX },
    { MAIL_SECRETS_KEY: mailKey, WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1", WEBHOOKS_BACKOFF_MS: String(flags["backoff-ms"]), WORKER_PROCESSES: "0", SMTP_INBOUND_PORT: "0", LOG_LEVEL: "error", PUBLIC_URL: "http://127.0.0.1:3000" },
  );
  // workers/index.ts says { ready: true } over IPC once its queues run.
  workers = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise<void>((resolve, reject) => {
    workers!.on("message", (m: { ready?: boolean }) => {
      if (m?.ready) resolve();
    });
    workers!.once("exit", (code) => reject(new Error(`workers exited ${code} before ready`)));
  });
  log(`workers ready (pid ${workers.pid}); receiver on port ${port}`);
  let peakRss = 0;
  const sampler = setInterval(() => {
    const m = readMem(workers!.pid!);
    if (m) peakRss = Math.max(peakRss, m.hwmMb);
  }, 200);

  // ── the changes: as fast as one connection writes them, `batch` per transaction ──
  const cpuBefore = readCpuMs(workers.pid!) ?? 0;
  const started = performance.timeOrigin + performance.now();
  for (let done = 0; done < flags.deliveries; done += flags.batch) {
    const n = Math.min(flags.batch, flags.deliveries - done);
    const ids = Array.from({ length: n }, (_, i) => `bw${(done + i).toString(36).padStart(6, "0")}${randomBytes(4).toString("hex")}`);
    await db.query(
      `INSERT INTO "TicketEvent" (id, "ticketId", type, "fromValue", "toValue", "createdAt")
       SELECT x.id, 'bench-wh-t' || (1 + (x.n % $2::int)), 'PRIORITY_CHANGED', 'MEDIUM', 'HIGH', now() AT TIME ZONE 'UTC'
       FROM unnest($1::text[]) WITH ORDINALITY AS x(id, n)`,
      [ids, tickets],
    );
    const at = performance.timeOrigin + performance.now();
    for (const id of ids) committedAt.set(`evt_${id}`, at);
  }
  const written = performance.timeOrigin + performance.now();
  log(`${flags.deliveries} changes committed in ${fmtMs(written - started)} ms`);

  const deadline = Date.now() + flags.drain * 1000;
  while (firstOk.size < flags.deliveries && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  clearInterval(sampler);
  // The workers' CPU for the whole run (user + system), per delivery: what a loaded machine cannot hide.
  const workersCpuMs = (readCpuMs(workers.pid!) ?? Number.NaN) - cpuBefore;
  const lastAt = Math.max(...[...firstOk.values()].map((v) => v.at));
  const seconds = (lastAt - started) / 1000;
  const rate = firstOk.size / seconds;

  // ── results ──
  const { rows } = await db.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "WebhookDelivery" GROUP BY 1`);
  const lost = [...committedAt.keys()].filter((id) => !firstOk.has(id));
  const all = [...firstOk].map(([id, v]) => v.at - committedAt.get(id)!);
  const firstTry = [...firstOk].filter(([, v]) => v.attempts === 1).map(([id, v]) => v.at - committedAt.get(id)!);
  const retried = [...firstOk].filter(([, v]) => v.attempts > 1).length;
  const sAll = summarize(all);
  const sFirst = summarize(firstTry);
  console.log(
    table(
      ["", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"],
      [
        ["all deliveries", sAll.n, fmtMs(sAll.p50), fmtMs(sAll.p95), fmtMs(sAll.p99), fmtMs(sAll.max)],
        ["accepted at 1st attempt", sFirst.n, fmtMs(sFirst.p50), fmtMs(sFirst.p95), fmtMs(sFirst.p99), fmtMs(sFirst.max)],
      ],
    ),
  );
  log(`deliveries/s: ${rate.toFixed(1)} (${firstOk.size} in ${seconds.toFixed(2)} s; target ≥ ${RATE_TARGET}/s)`);
  log(`receiver: ${requests} requests, ${retried} accepted after a 500, ${badSignatures} bad signatures; lost: ${lost.length}`);
  log(`database: ${rows.map((r) => `${r.status} ${r.n}`).join(", ")}`);
  log(`workers peak RSS: ${peakRss.toFixed(0)} MB; CPU ${workersCpuMs.toFixed(0)} ms (${(workersCpuMs / flags.deliveries).toFixed(2)} ms per delivery)`);

  const out = flags.out ?? path.join(ROOT, "bench/results", `webhooks-${new Date().toISOString().slice(0, 10)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      { commit: gitCommit(ROOT), at: new Date().toISOString(), flags, deliveriesPerSecond: rate, latencyMs: { all: sAll, firstAttempt: sFirst }, requests, retried, lost: lost.length, badSignatures, peakRssMb: peakRss, workersCpuMs, workersCpuMsPerDelivery: workersCpuMs / flags.deliveries, loadAverage: os.loadavg(), database: rows },
      null,
      2,
    ),
  );
  log(`saved ${path.relative(ROOT, out)}`);
  redis.disconnect();
  await db.end();
  const failed = lost.length > 0 || badSignatures > 0 || (flags.strict && rate < RATE_TARGET);
  return failed ? 1 : 0;
}

function stopChildren() {
  if (workers && workers.exitCode === null) workers.kill("SIGTERM");
  receiver?.closeAllConnections();
  receiver?.close();
}

runBench({
  main,
  timeoutSec: flags.timeout,
  log,
  abort(code) {
    stopChildren();
    process.exit(code);
  },
  finish: stopChildren,
});

