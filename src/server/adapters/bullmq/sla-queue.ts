import { Queue, type ConnectionOptions } from "bullmq";
import { bullPrefix } from "./notifications-queue";

export const SLA_QUEUE = "sla";

/**
 * Timer jobs one workers process runs at once. A timer job is mostly waiting for its batch (one read
 * and one statement for the timers of a tick, sla/timers.ts), so the slots are many and cheap: a
 * batch that takes longer (a cold start, a busy database) gathers the timers due meanwhile instead of
 * leaving them in Redis. bench:sla runs with this value.
 */
export const SLA_WORKER_CONCURRENCY = 64;

/** Batches of timers applied at once (sla/timers.ts slaTimerBatcher): each holds one connection. */
export const SLA_BATCHES_IN_FLIGHT = 2;

/** The workers process's pool: the timers' batches, auto-close jobs and the sweep, the other queues; and how many stay open while idle. */
export const SLA_POOL_SIZE = 20;
export const SLA_POOL_MIN = SLA_BATCHES_IN_FLIGHT + 2;

/**
 * `auto-close`: a ticket's automatic close; `sla`: its next SLA warning or breach; `sweep`: the
 * reconciler that derives both from the database.
 */
export type SlaJob = { kind: "auto-close"; ticketId: string } | { kind: "sla"; ticketId: string } | { kind: "sweep" };

export function createSlaQueue(connection: ConnectionOptions, redisPrefix: string) {
  return new Queue<SlaJob>(SLA_QUEUE, { connection, prefix: bullPrefix(redisPrefix) });
}

/**
 * A delayed job that fires at `at`. Its id names the ticket and the instant, so scheduling the same
 * timer twice keeps one job; a timer made stale by a later change simply finds nothing to do.
 */
export function autoCloseScheduler(queue: Queue<SlaJob>) {
  return async (ticketId: string, at: Date) => {
    await queue.add(
      "auto-close",
      { kind: "auto-close", ticketId },
      {
        jobId: `auto-close-${ticketId}-${at.getTime()}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        attempts: 5,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  };
}

/** The deduplication id of a ticket's SLA timer: one per ticket. */
export const slaTimerId = (ticketId: string) => `sla-${ticketId}`;

/**
 * A ticket's one SLA timer, at `at`. Its deduplication id names the ticket, so scheduling again
 * replaces the delayed job (new time, same id); while that job runs, the newest schedule is kept and
 * added when it finishes (a handler scheduling the ticket's next event from inside its own job).
 */
export function slaTimerScheduler(queue: Queue<SlaJob>, clock: () => number = Date.now) {
  return async (ticketId: string, at: Date) => {
    await queue.add(
      "sla",
      { kind: "sla", ticketId },
      {
        delay: Math.max(0, at.getTime() - clock()),
        deduplication: { id: slaTimerId(ticketId), replace: true, keepLastIfActive: true },
        attempts: 5,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  };
}
