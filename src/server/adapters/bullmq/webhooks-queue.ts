import { Queue, type ConnectionOptions } from "bullmq";
import type { EnqueueWebhookDeliveries } from "~/server/modules/webhooks/queue";
import { bullPrefix } from "./notifications-queue";

export const WEBHOOKS_QUEUE = "webhooks";

export type WebhookJob = { kind: "deliver"; deliveryId: string } | { kind: "reconcile" };

/**
 * 8 attempts, the first at once and the others after 11, 22, 44 … 704 minutes (exponential):
 * the last about 23 hours after the event.
 */
export const WEBHOOK_ATTEMPTS = 8;
export const WEBHOOK_BACKOFF_MS = 11 * 60_000;

export function createWebhooksQueue(connection: ConnectionOptions, redisPrefix: string) {
  return new Queue<WebhookJob>(WEBHOOKS_QUEUE, { connection, prefix: bullPrefix(redisPrefix) });
}

export interface WebhookRetryPolicy {
  attempts?: number;
  /** First retry delay; each later one doubles. */
  backoffMs?: number;
}

/** The job id is the delivery's: enqueuing twice (the NOTIFY listener and the reconciler) sends it once. */
export function webhookEnqueuer(queue: Queue<WebhookJob>, policy: WebhookRetryPolicy = {}): EnqueueWebhookDeliveries {
  const attempts = policy.attempts ?? WEBHOOK_ATTEMPTS;
  const delay = policy.backoffMs ?? WEBHOOK_BACKOFF_MS;
  return async (deliveryIds, opts = {}) => {
    if (deliveryIds.length === 0) return;
    await queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: "deliver",
        data: { kind: "deliver" as const, deliveryId },
        opts: {
          jobId: `webhook-${deliveryId}`,
          attempts: opts.manual ? 1 : attempts,
          backoff: { type: "exponential", delay },
          removeOnComplete: { age: 3600, count: 5000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  };
}
