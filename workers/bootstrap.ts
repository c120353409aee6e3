import { Emitter } from "@socket.io/redis-emitter";
import { publicUrl, type Env } from "~/env";
import { systemClock, type Clock } from "~/server/clock";
import { createDb, type Db } from "~/server/db/client";
import { createDispatcher } from "~/server/modules/dispatch";
import type { Deps } from "~/server/modules/deps";
import { createNotificationsQueue, emailEnqueuer } from "~/server/modules/notifications/queue";
import { roomEmitter } from "~/server/modules/realtime/room-emitter";
import { adapterKey } from "~/server/realtime/gateway";
import { createRedis } from "~/server/redis";

/** The workers' side of the composition root: the same Deps as the web, with the Redis emitter. */
export function createWorkerDeps(env: Env, opts: { db?: Db; clock?: Clock } = {}) {
  const db = opts.db ?? createDb(env.DATABASE_URL, 5);
  const emitterRedis = createRedis("producer", env.REDIS_URL);
  const queueRedis = createRedis("producer", env.REDIS_URL);
  const queue = createNotificationsQueue(queueRedis, env.REDIS_PREFIX);
  const emitter = new Emitter(emitterRedis, { key: adapterKey(env.REDIS_PREFIX) });
  const enqueueEmails = emailEnqueuer(queue);
  const deps: Deps = {
    db,
    clock: opts.clock ?? systemClock,
    bus: createDispatcher({ emit: roomEmitter(emitter), enqueueEmails }),
    mail: { fromAddress: env.MAIL_FROM_ADDRESS, team: env.TEAM_NAME, publicUrl: publicUrl(env) },
  };
  return {
    deps,
    queue,
    enqueueEmails,
    async close() {
      await queue.close();
      emitterRedis.disconnect();
      queueRedis.disconnect();
      if (!opts.db) await db.$disconnect();
    },
  };
}
