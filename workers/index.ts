import cluster from "node:cluster";
import { env } from "~/env";
import { WORKER_HEARTBEAT_TTL_S, heartbeatKey } from "~/server/health";
import { createSearchEngine } from "~/server/modules/kb/search/create-engine";
import { createInboundSmtpServer, rawLimitFor } from "~/server/modules/mail/inbound-smtp";
import { createRedis } from "~/server/redis";
import { createWorkerDeps } from "./bootstrap";
import { startInboundWorker } from "./inbound-mail";
import { startKbIndexWorker } from "./kb-index";
import { RECONCILE_EVERY_MS, startNotificationsWorker } from "./notifications";

const log = (line: string) => console.log(cluster.isWorker ? `[workers#${cluster.worker!.id}] ${line}` : `[workers] ${line}`);

/** The background process: notification, inbound-mail (with the IMAP poller) and knowledge-base index workers, and the inbound SMTP listener. */
async function main() {
  const { deps, queue, inboundQueue, enqueueEmails, enqueueInbound, close } = createWorkerDeps(env);
  const notifications = startNotificationsWorker(env, deps, enqueueEmails, log);
  const inbound = startInboundWorker(env, deps, enqueueInbound, log);
  const search = createSearchEngine({ db: deps.db, meiliUrl: env.MEILI_URL, meiliKey: env.MEILI_MASTER_KEY });
  const kbIndex = startKbIndexWorker(env, deps, search, log);
  await queue.upsertJobScheduler("reconcile-outbox", { every: RECONCILE_EVERY_MS }, { name: "reconcile-outbox", data: { kind: "reconcile-outbox" } });
  await inboundQueue.upsertJobScheduler("reconcile-inbound", { every: RECONCILE_EVERY_MS }, { name: "reconcile", data: { kind: "reconcile" } });
  await inboundQueue.upsertJobScheduler("poll-imap", { every: env.IMAP_POLL_SECONDS * 1000 }, { name: "poll-imap", data: { kind: "poll-imap" } });

  const smtp = createInboundSmtpServer({
    ...deps,
    enqueue: enqueueInbound,
    maxMessageBytes: rawLimitFor(env.MAIL_MAX_ATTACHMENT_BYTES),
    maxAttachmentBytes: env.MAIL_MAX_ATTACHMENT_BYTES,
    log,
  });
  smtp.on("error", (err) => log(`smtp listener error: ${err.message}`));
  await new Promise<void>((resolve) => smtp.listen(env.SMTP_INBOUND_PORT, env.SMTP_INBOUND_HOST, resolve));

  const heartbeat = createRedis("producer", env.REDIS_URL);
  const beat = () => heartbeat.set(heartbeatKey(env.REDIS_PREFIX), String(process.pid), "EX", WORKER_HEARTBEAT_TTL_S).catch(() => {});
  await beat();
  const timer = setInterval(beat, 5000);
  log(`ready: notifications, inbound mail, kb index (${search.name}), SMTP listener on port ${env.SMTP_INBOUND_PORT}`);
  process.send?.({ ready: true });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await inbound.close();
    await kbIndex.close();
    await notifications.close();
    await close();
    heartbeat.disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/**
 * With WORKER_PROCESSES > 1 this process only supervises: it forks that many copies of `main`
 * (Node's cluster shares the SMTP port between them; BullMQ spreads the jobs), forwards Ctrl-C /
 * SIGTERM, and replaces a copy that dies. A copy that dies before it is ready (bad config, port
 * taken) stops everything instead of looping.
 */
function supervise(count: number) {
  let stopping = false;
  let ready = 0;
  const fork = () => {
    const worker = cluster.fork();
    let isReady = false;
    worker.on("message", (msg: { ready?: boolean }) => {
      if (!msg?.ready || isReady) return;
      isReady = true;
      if (++ready === count) log(`all ${count} workers processes ready (pids ${Object.values(cluster.workers ?? {}).map((w) => w?.process.pid).join(", ")})`);
    });
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      if (!isReady) {
        log(`a workers process exited (${signal ?? code}) before it was ready; stopping`);
        void stop(1);
        return;
      }
      log(`workers process ${worker.process.pid} exited (${signal ?? code}); starting another`);
      setTimeout(fork, 1000);
    });
  };
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const live = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    await Promise.all(live.map((w) => new Promise<void>((resolve) => {
      w!.once("exit", () => resolve());
      w!.process.kill("SIGTERM");
    })));
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  for (let i = 0; i < count; i++) fork();
}

if (cluster.isPrimary && env.WORKER_PROCESSES > 1) {
  supervise(env.WORKER_PROCESSES);
} else {
  main().catch((err) => {
    console.error(`[workers] failed to start: ${(err as Error).message}`);
    process.exit(1);
  });
}
