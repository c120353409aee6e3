import type { Env } from "~/env";
import { NOTIFICATIONS_QUEUE, type NotificationJob } from "~/server/adapters/bullmq/notifications-queue";
import { loopLimits } from "~/server/modules/notifications/loop-guard";
import { reconcileOutbox } from "~/server/modules/notifications/reconcile-outbox";
import { sendOutboundEmail } from "~/server/modules/notifications/send-email";
import { createMailTransport } from "~/server/adapters/nodemailer/mail-transport";
import type { Deps } from "~/server/modules/deps";
import { startQueueWorker } from "~/server/adapters/bullmq/queue-worker";
import type { Logger } from "~/server/observability/logger";

export const RECONCILE_EVERY_MS = 30_000;

export function startNotificationsWorker(env: Env, deps: Deps, log: Logger) {
  const transport = createMailTransport(env.SMTP_URL);
  const sendDeps = { db: deps.db, clock: deps.clock, transport, mail: deps.mail, limits: loopLimits(env) };
  const started = startQueueWorker<NotificationJob>(
    { redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, queue: NOTIFICATIONS_QUEUE, concurrency: 8, log },
    async (job) => {
      // deps.mail (the sender name, …) as an admin last set it, even while changes cannot be heard.
      await deps.settings.current();
      if (job.data.kind === "send-email") {
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const outcome = await sendOutboundEmail(sendDeps, job.data.emailId, { finalAttempt });
        // Held by a mail-loop window: an admin alert is open at /admin/mailbox; the log says it too.
        if (outcome === "held") log.warn({ emailId: job.data.emailId }, "mail held: over a mail-loop window (see /admin/mailbox)");
        return outcome;
      }
      return reconcileOutbox(deps);
    },
  );
  return {
    worker: started.worker,
    async close() {
      await started.close();
      transport.close();
    },
  };
}
