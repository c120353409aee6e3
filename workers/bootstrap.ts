import type { Env } from "~/env";
import type { Clock } from "~/server/clock";
import { SLA_WORKER_CONCURRENCY } from "~/server/adapters/bullmq/sla-queue";
import { composeApp } from "~/server/compose";
import type { Db } from "~/server/db/client";
import type { InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";

/** The workers' dependencies: the composition root's, plus the inbound mail settings. */
export function createWorkerDeps(env: Env, opts: { db?: Db; clock?: Clock } = {}) {
  // The SLA timers' slots each hold a connection for their statement; the other queues share a few more.
  const app = composeApp(env, { ...opts, poolSize: SLA_WORKER_CONCURRENCY + 4 });
  const deps: InboundDeps = {
    ...app.deps,
    mailbox: { supportAddresses: env.SUPPORT_ADDRESSES },
    limits: {
      maxAttachmentBytes: env.MAIL_MAX_ATTACHMENT_BYTES,
      newTicketsPerHour: env.MAIL_RATE_LIMIT_PER_HOUR,
    },
  };
  return { deps, queues: app.queues, redis: app.redis, close: () => app.close() };
}
