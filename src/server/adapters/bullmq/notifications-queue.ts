import { Queue, type ConnectionOptions } from "bullmq";
import type { EnqueueEmails, RequeueEmail } from "~/server/modules/notifications/email-queue";

export const NOTIFICATIONS_QUEUE = "notifications";

export type NotificationJob = { kind: "send-email"; emailId: string } | { kind: "reconcile-outbox" };

export const SEND_ATTEMPTS = 6;

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

export function createNotificationsQueue(connection: ConnectionOptions, redisPrefix: string) {
  return new Queue<NotificationJob>(NOTIFICATIONS_QUEUE, { connection, prefix: bullPrefix(redisPrefix) });
}

export interface EnqueueOptions {
  /** How many times a send is tried before the row is marked FAILED (default SEND_ATTEMPTS). */
  attempts?: number;
  /** First retry delay; later ones double (default 1000 ms). */
  backoffMs?: number;
}

/** The job id is the email's id: enqueuing twice (a retry, the reconciler) runs it once. */
export function emailEnqueuer(queue: Queue<NotificationJob>, opts: EnqueueOptions = {}): EnqueueEmails {
  const attempts = opts.attempts ?? SEND_ATTEMPTS;
  const backoffMs = opts.backoffMs ?? 1000;
  return async (emailIds) => {
    if (emailIds.length === 0) return;
    await queue.addBulk(
      emailIds.map((emailId) => ({
        name: "send-email",
        data: { kind: "send-email" as const, emailId },
        opts: {
          jobId: `email-${emailId}`,
          attempts,
          backoff: { type: "exponential", delay: backoffMs },
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  };
}

/**
 * Enqueues a mail whose job already ran (a HELD mail an admin released). Its job id is the email's,
 * and BullMQ keeps a completed job for an hour, ignoring an add with the same id meanwhile: the old
 * job is removed first. Same id afterwards, so the reconciler enqueuing it too still sends it once.
 */
export function emailRequeuer(queue: Queue<NotificationJob>, opts: EnqueueOptions = {}): RequeueEmail {
  const enqueue = emailEnqueuer(queue, opts);
  return async (emailId) => {
    // A job of the same id that is running right now cannot be removed: it is sending this mail.
    await queue.remove(`email-${emailId}`).catch(() => 0);
    await enqueue([emailId]);
  };
}
