import { Queue, type ConnectionOptions } from "bullmq";
import type { Clock } from "~/server/clock";
import type { Db } from "~/server/db/client";
import { bullPrefix } from "./notifications-queue";

export const INBOUND_QUEUE = "inbound-mail";

/** `release`: an administrator let a held mail through, so the rate limit is not applied again. */
export type InboundJob =
  | { kind: "process"; inboundId: string; release?: boolean }
  | { kind: "reconcile" }
  | { kind: "poll-imap" }
  | { kind: "sweep-storage" };

export function createInboundQueue(connection: ConnectionOptions, redisPrefix: string) {
  return new Queue<InboundJob>(INBOUND_QUEUE, { connection, prefix: bullPrefix(redisPrefix) });
}

/** `revive`: a job that used up its attempts (storage or database down for a while) is retried. */
export type EnqueueInbound = (inboundIds: string[], opts?: { release?: boolean; revive?: boolean }) => Promise<void>;

/** Job id = stored mail id: the SMTP handler, the IMAP poller and the reconciler can all enqueue it safely. */
export function inboundEnqueuer(queue: Queue<InboundJob>): EnqueueInbound {
  return async (ids, { release = false, revive = false } = {}) => {
    if (!ids.length) return;
    if (revive) {
      for (const id of ids) {
        const job = await queue.getJob(`inbound-${id}`);
        if (job && (await job.isFailed())) await job.retry("failed");
      }
    }
    await queue.addBulk(
      ids.map((inboundId) => ({
        name: "process",
        data: { kind: "process" as const, inboundId, release },
        opts: {
          // A released mail needs a fresh job: the first one may still be kept as completed.
          jobId: release ? `inbound-${inboundId}-released` : `inbound-${inboundId}`,
          attempts: 5,
          backoff: { type: "exponential", delay: 1000 },
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  };
}

/**
 * Stored mail that was never processed (Redis lost the job, a worker died mid-job) goes back on the
 * queue. Processing is idempotent, so a mail that is in fact still queued is not processed twice.
 */
export const MAX_INBOUND_ATTEMPTS = 10;

export async function reconcileInbound(deps: { db: Db; clock: Clock }, enqueue: EnqueueInbound, olderThanMs = 30_000, batch = 500) {
  const before = new Date(deps.clock.now().getTime() - olderThanMs);
  // A mail that keeps failing (or crashing the worker) goes to the admins' review instead of looping.
  await deps.db.inboundMail.updateMany({
    where: { status: "RECEIVED", attempts: { gte: MAX_INBOUND_ATTEMPTS } },
    data: { status: "UNPROCESSABLE", reason: `gave up after ${MAX_INBOUND_ATTEMPTS} attempts`, processedAt: deps.clock.now() },
  });
  const stale = await deps.db.inboundMail.findMany({
    where: { status: "RECEIVED", receivedAt: { lt: before } },
    select: { id: true },
    orderBy: { receivedAt: "asc" },
    take: batch,
  });
  await enqueue(stale.map((m) => m.id), { revive: true });
  return stale.length;
}
