import cluster from "node:cluster";
import next from "next";
import { env, exposeAuthUrl, publicUrl } from "~/env";
import { startServer } from "./http/create-server";
import { aggregateClusterMetrics } from "./observability/cluster-metrics";
import { createLogger } from "./observability/logger";
import { forkCluster } from "./process/fork-cluster";
import { warnUnlessNoEviction } from "./redis-policy";

const log = createLogger(env, { name: cluster.isWorker ? `web#${cluster.worker!.id}` : "web" });

/** One web process: Next, tRPC, socket.io and the rest on one HTTP server (src/server/http/create-server.ts). */
async function serve() {
  exposeAuthUrl(env);
  const dev = env.NODE_ENV === "development" && process.argv.includes("--dev");
  const app = next({ dev, dir: process.cwd(), port: env.PORT, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = await startServer({ env, next: (req, res) => handle(req, res), log });
  if (cluster.isWorker) process.send?.({ ready: true });
  else log.info({ url: publicUrl(env), port: server.port }, `listening on ${publicUrl(env)} (port ${server.port})`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/**
 * WEB_PROCESSES = N > 1: N web processes share the port (node:cluster hands each new connection
 * to one of them). Rooms are shared through the Redis adapter, sessions live in the cookie and
 * limits in Redis, so any process can answer any request; the browser's socket is a WebSocket
 * (src/realtime/socket.ts), which stays on the process that accepted it.
 */
async function main() {
  if (cluster.isWorker) return serve();
  await warnUnlessNoEviction(env.REDIS_URL, (line) => log.warn(line));
  if (env.WEB_PROCESSES <= 1) return serve();
  aggregateClusterMetrics();
  const children = await forkCluster(env.WEB_PROCESSES, "web process", log);
  log.info({ url: publicUrl(env), pids: children.pids }, `listening on ${publicUrl(env)} (${env.WEB_PROCESSES} web processes: ${children.pids.join(", ")})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await children.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  log.fatal({ err }, "failed to start");
  process.exit(1);
});
