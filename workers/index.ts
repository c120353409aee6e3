import cluster from "node:cluster";
import { readFile } from "node:fs/promises";
import { createSecureContext } from "node:tls";
import { env } from "~/env";
import { WORKER_HEARTBEAT_TTL_S, heartbeatKey } from "~/server/health";
import { createInboundSmtpServer, rawLimitFor } from "~/server/adapters/smtp-server/inbound-smtp-server";
import { createLogger } from "~/server/observability/logger";
import { forkCluster, type ForkedCluster } from "~/server/process/fork-cluster";
import { countMailIntake, createMetrics } from "~/server/observability/metrics";
import { warnUnlessNoEviction } from "~/server/redis-policy";
import { createWorkerDeps } from "./bootstrap";
import { startInboundWorker } from "./inbound-mail";
import { startKbIndexWorker } from "./kb-index";
import { keepSlaSweepScheduled, startSlaWorker } from "./sla";
import { keepReportsFolded } from "./reports";
import { RECONCILE_EVERY_MS, startNotificationsWorker } from "./notifications";
import { startWebhooksWorker } from "./webhooks";

const log = createLogger(env, { name: cluster.isWorker ? `workers#${cluster.worker!.id}` : "workers" });
// Not served yet: this process has no HTTP listener (see createMetrics). The web's /metrics has the queues.
const metrics = createMetrics();

/**
 * The PEM key and certificate for STARTTLS on the inbound listener, read once at start-up (src/env.ts
 * has checked they are set together). A file that cannot be read, or a key that does not fit the
 * certificate, stops the start with the paths named.
 */
async function readInboundTls(): Promise<{ key: Buffer; cert: Buffer } | undefined> {
  const keyPath = env.SMTP_INBOUND_TLS_KEY;
  const certPath = env.SMTP_INBOUND_TLS_CERT;
  if (!keyPath || !certPath) return undefined;
  const read = (name: string, file: string) =>
    readFile(file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`${name}: cannot read ${file} (${err.code ?? err.message})`);
    });
  const [key, cert] = await Promise.all([read("SMTP_INBOUND_TLS_KEY", keyPath), read("SMTP_INBOUND_TLS_CERT", certPath)]);
  try {
    createSecureContext({ key, cert });
  } catch (err) {
    throw new Error(`SMTP_INBOUND_TLS_KEY ${keyPath} and SMTP_INBOUND_TLS_CERT ${certPath} are not a usable PEM key and certificate pair (${(err as Error).message})`);
  }
  return { key, cert };
}

/** The inbound SMTP listener: stores each mail and queues it. */
async function startIntake(tls: { key: Buffer; cert: Buffer } | undefined) {
  const { deps, close } = createWorkerDeps(env);
  const smtp = createInboundSmtpServer({
    ...deps,
    enqueue: deps.queues.enqueueInbound,
    maxMessageBytes: rawLimitFor(env.MAIL_MAX_ATTACHMENT_BYTES),
    maxAttachmentBytes: env.MAIL_MAX_ATTACHMENT_BYTES,
    tls,
    log: (line) => log.warn(line),
    ...countMailIntake(metrics, "smtp"),
  });
  smtp.on("error", (err) => log.error({ err }, "smtp listener error"));
  await new Promise<void>((resolve) => smtp.listen(env.SMTP_INBOUND_PORT, env.SMTP_INBOUND_HOST, resolve));
  return {
    describe: `SMTP listener on port ${env.SMTP_INBOUND_PORT} (${tls ? "STARTTLS on" : "no STARTTLS"})`,
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await close();
    },
  };
}

/** The queues: notifications, inbound mail (with the IMAP poller and the reconcilers) and the knowledge-base index. */
async function startQueues() {
  const { deps, queues, redis: heartbeat, close } = createWorkerDeps(env);
  const notifications = startNotificationsWorker(env, deps, log);
  const inbound = startInboundWorker(env, deps, log, {}, metrics);
  const kbIndex = startKbIndexWorker(env, deps, log);
  const sla = startSlaWorker(env, deps, log);
  const webhooks = startWebhooksWorker(env, deps, log);
  await queues.notifications.upsertJobScheduler("reconcile-outbox", { every: RECONCILE_EVERY_MS }, { name: "reconcile-outbox", data: { kind: "reconcile-outbox" } });
  await queues.webhooks.upsertJobScheduler("reconcile-webhooks", { every: RECONCILE_EVERY_MS }, { name: "reconcile", data: { kind: "reconcile" } });
  await queues.inbound.upsertJobScheduler("reconcile-inbound", { every: RECONCILE_EVERY_MS }, { name: "reconcile", data: { kind: "reconcile" } });
  await queues.inbound.upsertJobScheduler("poll-imap", { every: env.IMAP_POLL_SECONDS * 1000 }, { name: "poll-imap", data: { kind: "poll-imap" } });
  const slaSweep = keepSlaSweepScheduled(queues.sla, log);
  const reportFold = keepReportsFolded(deps, log);
  await slaSweep.ready;
  await queues.inbound.upsertJobScheduler("sweep-storage", { every: 6 * 3600_000 }, { name: "sweep-storage", data: { kind: "sweep-storage" } });

  const beat = () => heartbeat.set(heartbeatKey(env.REDIS_PREFIX), String(process.pid), "EX", WORKER_HEARTBEAT_TTL_S).catch(() => {});
  await beat();
  const timer = setInterval(beat, 5000);
  return {
    describe: `notifications, inbound mail, kb index (${deps.search.name}), SLA timers, webhooks`,
    async close() {
      clearInterval(timer);
      slaSweep.stop();
      reportFold.stop();
      await inbound.close();
      await kbIndex.close();
      await sla.close();
      await webhooks.close();
      await notifications.close();
      await close();
    },
  };
}

/** Runs the given parts in this process until SIGTERM / Ctrl-C; "ready:" is what start scripts and benchmarks wait for. */
async function run(parts: Array<() => Promise<{ describe: string; close(): Promise<void> }>>, onStop: () => Promise<void> = async () => {}) {
  const started: { describe: string; close(): Promise<void> }[] = [];
  for (const start of parts) started.push(await start());
  log.info(`ready: ${started.map((p) => p.describe).join(", ")}`);
  process.send?.({ ready: true });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await onStop();
    for (const p of started) await p.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

/**
 * With WORKER_PROCESSES = N ≥ 1 this process takes the mail in (the SMTP listener) and forks N
 * processes that run the queues, so storing arriving mail never waits behind parsing it (for
 * machines with cores to spare; on 2 cores one process does better, see src/env.ts). It forwards
 * Ctrl-C / SIGTERM, and replaces a queue process that dies; one that dies before it is ready (bad
 * config) stops everything instead of looping. WORKER_PROCESSES = 0 runs everything in one process.
 */
async function supervise(count: number, tls: { key: Buffer; cert: Buffer } | undefined) {
  let children: ForkedCluster;
  try {
    children = await forkCluster(count, "queue process", log);
  } catch {
    process.exit(1);
  }
  const intakeAndChildren = async () => {
    const intake = await startIntake(tls);
    return { ...intake, describe: `${intake.describe}; ${count} queue process${count > 1 ? "es" : ""} (pids ${children.pids.join(", ")})` };
  };
  await run([intakeAndChildren], () => children.stop());
}

async function main() {
  const tls = await readInboundTls();
  if (cluster.isWorker) return run([startQueues]);
  await warnUnlessNoEviction(env.REDIS_URL, (line) => log.warn(line));
  if (env.WORKER_PROCESSES === 0) return run([startQueues, () => startIntake(tls)]);
  return supervise(env.WORKER_PROCESSES, tls);
}

main().catch((err) => {
  // A plain line whatever LOG_LEVEL says (tests run silent): whoever started the process must see why it stopped.
  console.error(`[workers] failed to start: ${(err as Error).message}`);
  process.exit(1);
});
