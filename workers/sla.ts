import type { Queue } from "bullmq";
import type { Env } from "~/env";
import { SLA_QUEUE, SLA_WORKER_CONCURRENCY, type SlaJob } from "~/server/adapters/bullmq/sla-queue";
import { startQueueWorker } from "~/server/adapters/bullmq/queue-worker";
import type { Deps } from "~/server/modules/deps";
import { fireDueSlaEvents, fireSlaEvents } from "~/server/modules/sla/timers";
import { closeDueTickets, closeIfDue } from "~/server/modules/tickets/auto-close";
import type { Logger } from "~/server/observability/logger";

/** How often the sweep derives due closes and SLA events from the database: the most a lost timer is late. */
export const SLA_SWEEP_EVERY_MS = 60_000;

/** Timers of the support process: a ticket's automatic close, its SLA warnings and breaches, and the sweep that catches lost timers. */
export function startSlaWorker(env: Pick<Env, "REDIS_URL" | "REDIS_PREFIX">, deps: Deps, log: Logger) {
  return startQueueWorker<SlaJob>({ redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, queue: SLA_QUEUE, concurrency: SLA_WORKER_CONCURRENCY, log }, async (job) => {
    // The team name, default language and mail templates as an admin last set them.
    await deps.settings.current();
    if (job.data.kind === "auto-close") return closeIfDue(deps, job.data.ticketId);
    if (job.data.kind === "sla") return (await fireSlaEvents(deps, job.data.ticketId)).length;
    const closed = await closeDueTickets(deps, 500, (ticketId, err) => log.error({ err, ticketId }, "sla sweep: closing failed"));
    if (closed) log.info({ closed }, "sla sweep closed tickets");
    const fired = await fireDueSlaEvents(deps, {
      budgetMs: SLA_SWEEP_EVERY_MS - 10_000,
      onError: (ticketId, err) => log.error({ err, ticketId }, "sla sweep: firing an SLA event failed"),
    });
    if (fired) log.info({ fired }, "sla sweep fired SLA events whose timers were lost");
    return closed + fired;
  });
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
