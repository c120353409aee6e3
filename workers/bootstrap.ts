import type { Env } from "~/env";
import type { Clock } from "~/server/clock";
import { SLA_POOL_MIN, SLA_POOL_SIZE } from "~/server/adapters/bullmq/sla-queue";
import { composeApp } from "~/server/compose";
import type { Db } from "~/server/db/client";
import type { InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";

/** The workers' dependencies: the composition root's, plus the inbound mail settings. */
export function createWorkerDeps(env: Env, opts: { db?: Db; clock?: Clock } = {}) {
  // The SLA timers' batches hold a few connections (kept open: warm); the other queues share the rest.
  const app = composeApp(env, { ...opts, poolSize: SLA_POOL_SIZE, poolMin: SLA_POOL_MIN });
  const deps: InboundDeps = {
    ...app.deps,
    // The process's live mail settings: the support addresses an admin sets at /admin/ajustes reach
    // the SMTP listener and the threading at once (SUPPORT_ADDRESSES until one is set).
    mailbox: app.deps.mail,
    limits: {
      maxAttachmentBytes: env.MAIL_MAX_ATTACHMENT_BYTES,
      newTicketsPerHour: env.MAIL_RATE_LIMIT_PER_HOUR,
    },
  };
  // Loaded before the first mail is accepted; kept current by the change feed afterwards.
  void app.deps.settings.current().catch(() => {});
  return { deps, queues: app.queues, redis: app.redis, close: () => app.close() };
}
