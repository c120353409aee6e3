import type { Queue } from "bullmq";
import type { Env } from "~/env";
import { SLA_QUEUE, SLA_WORKER_CONCURRENCY, type SlaJob } from "~/server/adapters/bullmq/sla-queue";
import { startQueueWorker } from "~/server/adapters/bullmq/queue-worker";
import type { Deps } from "~/server/modules/deps";
import { slaJobHandler, SLA_SWEEP_EVERY_MS } from "./sla-handler";
import type { Logger } from "~/server/observability/logger";

export { SLA_SWEEP_EVERY_MS };

/** Timers of the support process: a ticket's automatic close, its SLA warnings and breaches, and the sweep that catches lost timers. */
export function startSlaWorker(env: Pick<Env, "REDIS_URL" | "REDIS_PREFIX">, deps: Deps, log: Logger) {
  const handler = slaJobHandler(deps, log);
  // Not awaited: a database still starting must not keep the worker from taking jobs.
  void handler.warm().catch((err: unknown) => log.warn({ err }, "sla timers: warm-up failed"));
  return startQueueWorker<SlaJob>({ redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, queue: SLA_QUEUE, concurrency: SLA_WORKER_CONCURRENCY, preciseDelays: true, log }, handler.handle);
}

/**
 * The sweep's job scheduler lives in Redis, so a Redis that lost its memory (FLUSHALL, a restart
 * with no persistence) loses it with every timer: each workers process upserts it again every
 * period, and the sweep then fires what those timers would have, late by at most two periods.
 */
export function keepSlaSweepScheduled(queue: Queue<SlaJob>, log: Logger, everyMs = SLA_SWEEP_EVERY_MS) {
  const upsert = () =>
    queue.upsertJobScheduler("sla-sweep", { every: everyMs }, { name: "sweep", data: { kind: "sweep" } }).then(
      () => {},
      (err: unknown) => log.error({ err }, "sla sweep: scheduling failed"),
    );
  const timer = setInterval(() => void upsert(), everyMs);
  timer.unref();
  return { ready: upsert(), stop: () => clearInterval(timer) };
}
