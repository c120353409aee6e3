import { Worker, type Job, type WorkerOptions } from "bullmq";
import { logJobFailure, type Logger } from "~/server/observability/logger";
import { createRedis } from "~/server/redis";
import { bullPrefix } from "./notifications-queue";
import { PreciseDelayWorker } from "./precise-worker";

export interface QueueWorkerOptions {
  redisUrl: string;
  redisPrefix: string;
  queue: string;
  concurrency: number;
  /** BullMQ lock/stall timing (tests that kill a worker mid-job shorten them). */
  settings?: Pick<WorkerOptions, "lockDuration" | "stalledInterval" | "maxStalledCount">;
  log: Logger;
  /** Delayed jobs start at their instant (timers): see PreciseDelayWorker. */
  preciseDelays?: boolean;
}

/** A BullMQ worker on its own blocking connection, its failures logged; `close` ends both. */
export function startQueueWorker<T extends object>(opts: QueueWorkerOptions, handle: (job: Job<T>) => Promise<unknown>) {
  const connection = createRedis("worker", opts.redisUrl);
  const worker = new (opts.preciseDelays ? PreciseDelayWorker<T> : Worker<T>)(opts.queue, handle, { connection, prefix: bullPrefix(opts.redisPrefix), concurrency: opts.concurrency, ...opts.settings });
  worker.on("failed", (job, err) => logJobFailure(opts.log, opts.queue, job, err));
  worker.on("error", (err) => opts.log.error({ err, queue: opts.queue }, "worker error"));
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
