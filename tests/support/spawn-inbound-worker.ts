// An inbound-mail worker in its own OS process, for the tests that kill a worker in the middle of a
// job: `node --import tsx tests/support/spawn-inbound-worker.ts` (see spawnInboundWorker).
//
// Its deps come from process.env exactly as the workers process builds them (createWorkerDeps from
// workers/bootstrap.ts: DATABASE_URL, REDIS_URL, REDIS_PREFIX, STORAGE_DIR, mail settings), and its
// Worker runs the production processor with short lock/stall settings (inbound-worker.ts).
//
// VT_BLOCK_ATTACHMENTS=1: storing an attachment never finishes, so a job for a mail with one stays
// active (lock renewed) until the process is killed.
//
// Prints one JSON object per line on stdout: {"ready":true,"pid"} once the worker is connected,
// {"active":jobId,"inboundId"} when a job starts, {"blocked":"att"} when an attachment write hangs,
// {"completed"|"failed":jobId,...}, {"log":line}. Closes on SIGTERM / SIGINT, or when stdin closes
// (the parent test died).
import { env } from "~/env";
import { inboundEnqueuer } from "~/server/adapters/bullmq/inbound-queue";
import { createWorkerDeps } from "../../workers/bootstrap";
import { blockingAttachmentStore, startTunedInboundWorker, type WorkerLine } from "./inbound-worker";

const say = (line: WorkerLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main() {
  const made = createWorkerDeps(env);
  const block = process.env.VT_BLOCK_ATTACHMENTS === "1";
  const deps = block ? { ...made.deps, store: blockingAttachmentStore(made.deps.store, (prefix) => say({ blocked: prefix })) } : made.deps;
  const inbound = startTunedInboundWorker(env, deps, inboundEnqueuer(made.inboundQueue), (line) => say({ log: line }));
  inbound.worker.on("active", (job) => say({ active: job.id!, inboundId: job.data.kind === "process" ? job.data.inboundId : undefined }));
  inbound.worker.on("completed", (job, returnvalue: unknown) => say({ completed: job.id!, returnvalue }));
  inbound.worker.on("failed", (job, err) => say({ failed: job?.id ?? "?", error: err.message }));
  await inbound.worker.waitUntilReady();

  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    // force: a blocked job would otherwise keep close() waiting for ever.
    await inbound.worker.close(true).catch(() => {});
    await made.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
  say({ ready: true, pid: process.pid });
}

main().catch((err: Error) => {
  process.stderr.write(`[spawned inbound worker] failed to start: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
