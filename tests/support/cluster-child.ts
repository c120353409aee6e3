// A program for tests/fork-cluster.test.ts: forkCluster's primary, whose children answer HTTP with
// their pid on one shared port. VT_CLUSTER_FAIL=1 makes every child die before it is ready; so does
// the file VT_CLUSTER_FAIL_FILE while it exists (replacements failing once the cluster is up).
import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import pino from "pino";
import { forkCluster } from "~/server/process/fork-cluster";

const log = pino({ level: "silent" });

if (cluster.isWorker) {
  if (process.env.VT_CLUSTER_FAIL === "1") process.exit(3);
  if (process.env.VT_CLUSTER_FAIL_FILE && existsSync(process.env.VT_CLUSTER_FAIL_FILE)) process.exit(3);
  const server = createServer((_req, res) => res.end(String(process.pid)));
  server.listen(Number(process.env.VT_CLUSTER_PORT), "127.0.0.1", () => process.send?.({ ready: true }));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
} else {
  forkCluster(2, "test child", log).then(
    (children) => {
      process.stdout.write(`${JSON.stringify({ pids: children.pids })}\n`);
      process.on("SIGTERM", () => void children.stop().then(() => process.exit(0)));
    },
    (err: Error) => {
      process.stdout.write(`${JSON.stringify({ error: err.message })}\n`);
      process.exit(1);
    },
  );
}
