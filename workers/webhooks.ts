import type { Env } from "~/env";
import { WEBHOOKS_QUEUE, type WebhookJob, webhookEnqueuer, type WebhookRetryPolicy } from "~/server/adapters/bullmq/webhooks-queue";
import { startQueueWorker } from "~/server/adapters/bullmq/queue-worker";
import { createWebhookSender } from "~/server/adapters/http-client/webhook-sender";
import { listenForWebhookDeliveries } from "~/server/adapters/postgres/webhook-listener";
import type { Deps } from "~/server/modules/deps";
import type { SendLimits } from "~/server/modules/webhooks/sender";
import { deliverWebhook, reconcileWebhookDeliveries } from "~/server/modules/webhooks/deliver";
import { createDeliveryStore } from "~/server/modules/webhooks/delivery-store";
import type { Logger } from "~/server/observability/logger";
import type { Queue } from "bullmq";

export interface WebhooksWorkerOptions {
  concurrency?: number;
  /** Tests shorten the timeouts. */
  limits?: SendLimits;
  /** The queue the NOTIFY listener enqueues to, with its retry policy (tests: a short backoff). */
  queue?: Queue<WebhookJob>;
  retry?: WebhookRetryPolicy;
  /** The reconciler's age threshold (default 30 s): pending deliveries older than this are enqueued again. */
  reconcileOlderThanMs?: number;
}

/**
 * Sends webhook deliveries: the NOTIFY listener enqueues each delivery staged by the triggers as its
 * transaction commits; the queue's jobs POST it (deliverWebhook) and retry with backoff; the
 * reconciler (a scheduled job, and on every reconnection of the listener) catches what was missed.
 */
export function startWebhooksWorker(env: Env, deps: Deps, log: Logger, opts: WebhooksWorkerOptions = {}) {
  const sender = createWebhookSender(deps.webhooks.targets, opts.limits);
  // One store for all jobs: the reads and attempt logs of concurrent jobs share statements.
  const deliveries = createDeliveryStore(deps);
  const enqueue = opts.queue ? webhookEnqueuer(opts.queue, opts.retry) : deps.queues.enqueueWebhookDeliveries;
  const queueDeps = { ...deps, queues: { ...deps.queues, enqueueWebhookDeliveries: enqueue } };
  const olderThan = opts.reconcileOlderThanMs ?? 30_000;
  const started = startQueueWorker<WebhookJob>(
    { redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, queue: WEBHOOKS_QUEUE, concurrency: opts.concurrency ?? 48, log },
    async (job) => {
      if (job.data.kind === "reconcile") return reconcileWebhookDeliveries(queueDeps, olderThan);
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await deliverWebhook({ ...deps, sender, deliveries }, job.data.deliveryId, { finalAttempt });
      // Thrown so the queue retries it after its backoff; the attempt is already logged.
      if (outcome === "retry") throw new Error(`webhook delivery ${job.data.deliveryId} not accepted; retrying`);
      return outcome;
    },
  );
  const listener = listenForWebhookDeliveries(
    env.DATABASE_URL,
    (ids) => enqueue(ids),
    () => reconcileWebhookDeliveries(queueDeps, 0),
    (err) => log.warn({ err }, "webhook listener"),
  );
  return {
    worker: started.worker,
    ready: listener.started,
    async close() {
      await listener.close();
      await started.close();
      sender.close();
    },
  };
}
