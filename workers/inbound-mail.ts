import type { WorkerOptions } from "bullmq";
import type { Env } from "~/env";
import { pollActiveMailboxes } from "~/server/adapters/imapflow/imap-poller";
import { rawLimitFor } from "~/server/adapters/smtp-server/inbound-smtp-server";
import type { InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { processInboundMail } from "~/server/modules/mail/process/process-inbound-mail";
import { INBOUND_QUEUE, type InboundJob } from "~/server/adapters/bullmq/inbound-queue";
import { reconcileInbound } from "~/server/modules/mail/intake/reconcile-inbound";
import { startQueueWorker } from "~/server/adapters/bullmq/queue-worker";
import type { Logger } from "~/server/observability/logger";
import { countMailIntake, type Metrics } from "~/server/observability/metrics";
import { sweepOrphanBlobs } from "~/server/modules/storage/sweep-orphans";
import { purgeExpiredAccountTokens } from "~/server/modules/accounts/purge-expired-tokens";

/** `settings`: BullMQ lock/stall timing (tests that kill a worker mid-job shorten them); `metrics`: where IMAP intake is counted. */
export function startInboundWorker(
  env: Pick<Env, "REDIS_URL" | "REDIS_PREFIX" | "MAIL_MAX_ATTACHMENT_BYTES">,
  deps: InboundDeps,
  log: Logger,
  settings: Pick<WorkerOptions, "lockDuration" | "stalledInterval" | "maxStalledCount"> = {},
  metrics?: Metrics,
) {
  const imapIntake = metrics ? countMailIntake(metrics, "imap") : {};
  return startQueueWorker<InboundJob>(
    { redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, queue: INBOUND_QUEUE, concurrency: 4, settings, log },
    async (job) => {
      // Support addresses, team name, mail templates as an admin last set them (settings/live-settings.ts).
      await deps.settings.current();
      if (job.data.kind === "reconcile") return reconcileInbound(deps);
      if (job.data.kind === "sweep-storage") {
        const swept = await sweepOrphanBlobs(deps);
        if (swept.removed.length || swept.abandonedUploads.length) {
          log.info({ removed: swept.removed.length, checked: swept.checked, abandonedUploads: swept.abandonedUploads.length }, "storage sweep removed orphaned files");
        }
        const purged = await purgeExpiredAccountTokens(deps);
        return { checked: swept.checked, removed: swept.removed.length, abandonedUploads: swept.abandonedUploads.length, ...purged };
      }
      if (job.data.kind === "poll-imap") {
        const polled = await pollActiveMailboxes(deps, {
          maxMessageBytes: rawLimitFor(env.MAIL_MAX_ATTACHMENT_BYTES),
          log: (line) => log.warn(line),
          ...imapIntake,
        });
        return polled.map((p) => ({ mailboxId: p.mailboxId, stored: p.stored.length, failed: p.failed.length, error: p.error }));
      }
      const outcome = await processInboundMail(deps, job.data.inboundId, { release: job.data.release });
      return outcome.status;
    },
  );
}
