import { Emitter } from "@socket.io/redis-emitter";
import type { Env } from "~/env";
import { systemClock, type Clock } from "~/server/clock";
import { createDb, type Db } from "~/server/db/client";
import { createDispatcher } from "~/server/modules/dispatch";
import { mailSettings } from "~/server/modules/deps";
import type { InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { createKbIndexQueue, kbIndexEnqueuer } from "~/server/adapters/bullmq/kb-index-queue";
import { createInboundQueue, inboundEnqueuer } from "~/server/adapters/bullmq/inbound-queue";
import { createNotificationsQueue, emailEnqueuer } from "~/server/adapters/bullmq/notifications-queue";
import { roomEmitter } from "~/server/modules/realtime/room-emitter";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { adapterKey } from "~/server/realtime/gateway";
import { createRedis } from "~/server/redis";

/** The workers' side of the composition root: the same Deps as the web, with the Redis emitter. */
export function createWorkerDeps(env: Env, opts: { db?: Db; clock?: Clock } = {}) {
  const db = opts.db ?? createDb(env.DATABASE_URL, 5);
  const emitterRedis = createRedis("producer", env.REDIS_URL);
  const queueRedis = createRedis("producer", env.REDIS_URL);
  const queue = createNotificationsQueue(queueRedis, env.REDIS_PREFIX);
  const inboundQueue = createInboundQueue(queueRedis, env.REDIS_PREFIX);
  const kbIndexQueue = createKbIndexQueue(queueRedis, env.REDIS_PREFIX);
  const emitter = new Emitter(emitterRedis, { key: adapterKey(env.REDIS_PREFIX) });
  const enqueueEmails = emailEnqueuer(queue);
  const deps: InboundDeps = {
    db,
    clock: opts.clock ?? systemClock,
    bus: createDispatcher({ emit: roomEmitter(emitter), enqueueEmails, enqueueKbIndex: kbIndexEnqueuer(kbIndexQueue) }),
    mail: mailSettings(env),
    store: localBlobStore(env.STORAGE_DIR),
    mailbox: { supportAddresses: env.SUPPORT_ADDRESSES },
    limits: {
      maxAttachmentBytes: env.MAIL_MAX_ATTACHMENT_BYTES,
      newTicketsPerHour: env.MAIL_RATE_LIMIT_PER_HOUR,
      reopenWindowHours: env.REOPEN_WINDOW_HOURS,
    },
  };
  return {
    deps,
    queue,
    inboundQueue,
    kbIndexQueue,
    enqueueEmails,
    enqueueInbound: inboundEnqueuer(inboundQueue),
    async close() {
      await queue.close();
      await inboundQueue.close();
      await kbIndexQueue.close();
      emitterRedis.disconnect();
      queueRedis.disconnect();
      if (!opts.db) await db.$disconnect();
    },
  };
}
