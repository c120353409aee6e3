import { Worker, type WorkerOptions } from "bullmq";
import type { Env } from "~/env";
import { pollActiveMailboxes } from "~/server/adapters/imapflow/imap-poller";
import { rawLimitFor } from "~/server/adapters/smtp-server/inbound-smtp-server";
import type { InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { processInboundMail } from "~/server/modules/mail/process/process-inbound-mail";
import { INBOUND_QUEUE, type InboundJob } from "~/server/adapters/bullmq/inbound-queue";
import { reconcileInbound } from "~/server/modules/mail/intake/reconcile-inbound";
import type { EnqueueInbound } from "~/server/modules/mail/intake/enqueue-inbound";
import { mailSecretsKey } from "~/server/modules/mail/admin/secret-box";
import { bullPrefix } from "~/server/adapters/bullmq/notifications-queue";
import { sweepOrphanBlobs } from "~/server/modules/storage/sweep-orphans";
import { createRedis } from "~/server/redis";

/** `settings`: BullMQ lock/stall timing (tests that kill a worker mid-job shorten them). */
export function startInboundWorker(
  env: Pick<Env, "REDIS_URL" | "REDIS_PREFIX" | "MAIL_MAX_ATTACHMENT_BYTES" | "MAIL_SECRETS_KEY" | "NEXTAUTH_SECRET">,
  deps: InboundDeps,
  enqueueInbound: EnqueueInbound,
  log: (l: string) => void,
  settings: Pick<WorkerOptions, "lockDuration" | "stalledInterval" | "maxStalledCount"> = {},
) {
  const secretsKey = mailSecretsKey(env);
  const connection = createRedis("worker", env.REDIS_URL);
  const worker = new Worker<InboundJob>(
    INBOUND_QUEUE,
    async (job) => {
      if (job.data.kind === "reconcile") return reconcileInbound(deps, enqueueInbound);
      if (job.data.kind === "sweep-storage") {
        const swept = await sweepOrphanBlobs(deps);
        if (swept.removed.length) log(`storage sweep: removed ${swept.removed.length} orphaned files of ${swept.checked} checked`);
        return { checked: swept.checked, removed: swept.removed.length };
      }
      if (job.data.kind === "poll-imap") {
        const polled = await pollActiveMailboxes({ ...deps, enqueue: enqueueInbound, secretsKey }, { maxMessageBytes: rawLimitFor(env.MAIL_MAX_ATTACHMENT_BYTES), log });
        return polled.map((p) => ({ mailboxId: p.mailboxId, stored: p.stored.length, failed: p.failed.length, error: p.error }));
      }
      const outcome = await processInboundMail(deps, job.data.inboundId, { release: job.data.release });
      return outcome.status;
    },
    { connection, prefix: bullPrefix(env.REDIS_PREFIX), concurrency: 4, ...settings },
  );
  worker.on("failed", (job, err) => log(`inbound job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
  worker.on("error", (err) => log(`inbound worker error: ${err.message}`));
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
