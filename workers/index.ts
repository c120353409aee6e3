import { env } from "~/env";
import { WORKER_HEARTBEAT_TTL_S, heartbeatKey } from "~/server/health";
import { createRedis } from "~/server/redis";
import { createWorkerDeps } from "./bootstrap";
import { RECONCILE_EVERY_MS, startNotificationsWorker } from "./notifications";

const log = (line: string) => console.log(`[workers] ${line}`);

async function main() {
  const { deps, queue, enqueueEmails, close } = createWorkerDeps(env);
  const notifications = startNotificationsWorker(env, deps, enqueueEmails, log);
  await queue.upsertJobScheduler("reconcile-outbox", { every: RECONCILE_EVERY_MS }, { name: "reconcile-outbox", data: { kind: "reconcile-outbox" } });

  const heartbeat = createRedis("producer", env.REDIS_URL);
  const beat = () => heartbeat.set(heartbeatKey(env.REDIS_PREFIX), String(process.pid), "EX", WORKER_HEARTBEAT_TTL_S).catch(() => {});
  await beat();
  const timer = setInterval(beat, 5000);
  log("ready: notifications");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    await notifications.close();
    await close();
    heartbeat.disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(`[workers] failed to start: ${(err as Error).message}`);
  process.exit(1);
});
