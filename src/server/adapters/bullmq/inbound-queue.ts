import { Queue, type ConnectionOptions } from "bullmq";
import type { EnqueueInbound } from "~/server/modules/mail/intake/enqueue-inbound";
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

