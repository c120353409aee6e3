import { Emitter } from "@socket.io/redis-emitter";
import type { Env } from "~/env";
import { systemClock, type Clock } from "./clock";
import { createDb, type Db } from "./db/client";
import { createDispatcher } from "./modules/dispatch";
import { mailSettings, type Deps } from "./modules/deps";
import type { DomainEvent } from "./modules/events";
import { createInboundQueue, inboundEnqueuer } from "./adapters/bullmq/inbound-queue";
import { createKbIndexQueue, kbIndexEnqueuer } from "./adapters/bullmq/kb-index-queue";
import { createNotificationsQueue, emailEnqueuer, emailRequeuer } from "./adapters/bullmq/notifications-queue";
import { createSearchEngine } from "./adapters/create-search-engine";
import { autoCloseScheduler, createSlaQueue, slaTimerScheduler } from "./adapters/bullmq/sla-queue";
import { localBlobStore } from "./adapters/local-disk/local-blob-store";
import { notifyRequester } from "./modules/notifications/customer-bell";
import { mailSecretsKey } from "./modules/mail/admin/secret-box";
import { roomEmitter, type RoomBroadcaster } from "./modules/realtime/room-emitter";
import { createRateLimits } from "./modules/security/rate-limit";
import { dbSlaSource } from "./modules/sla/settings-store";
import { applyLive, dbSettingsSource, siteDefaults } from "./modules/settings/live-settings";
import { pgChangeFeed } from "./adapters/postgres/change-feed";
import { adapterKey } from "./realtime/gateway";
import { createRedis } from "./redis";
import { createWebhooksQueue, webhookEnqueuer } from "./adapters/bullmq/webhooks-queue";
import { systemResolver } from "./adapters/http-client/webhook-sender";
import { rooms } from "~/shared/realtime";

export interface ComposeOptions {
  /** A client made elsewhere (tests share one); the caller then owns it and closes it. */
  db?: Db;
  /** Connections in this process's one pool (default 10). */
  poolSize?: number;
  /** Connections kept open while idle (default none): the workers' SLA timers keep theirs warm. */
  poolMin?: number;
  clock?: Clock;
  /**
   * Where live hints go: the web process's own socket.io server, handed over once it exists. Other
   * processes (workers, scripts) publish through the Redis emitter to every web process.
   */
  broadcaster?: () => RoomBroadcaster;
  onDispatchError?: (err: unknown, event: DomainEvent) => void;
}

/** Everything one process needs, built once: one pool, one producer connection, the queues, the engines. */
export interface App {
  deps: Deps;
  queues: {
    notifications: ReturnType<typeof createNotificationsQueue>;
    inbound: ReturnType<typeof createInboundQueue>;
    kbIndex: ReturnType<typeof createKbIndexQueue>;
    sla: ReturnType<typeof createSlaQueue>;
    webhooks: ReturnType<typeof createWebhooksQueue>;
  };
  /** The producer connection (fails fast; never for blocking commands): health checks, heartbeats, limits. */
  redis: ReturnType<typeof createRedis>;
  close(): Promise<void>;
}

/**
 * The composition root: the web process (src/server/http/create-server.ts), the workers
 * (workers/index.ts), scripts and the seed all build their dependencies here and nowhere else.
 */
export function composeApp(env: Env, opts: ComposeOptions = {}): App {
  const db = opts.db ?? createDb(env.DATABASE_URL, opts.poolSize ?? 10, opts.poolMin ?? 0);
  const redis = createRedis("producer", env.REDIS_URL);
  const queueRedis = createRedis("producer", env.REDIS_URL);
  const queues = {
    notifications: createNotificationsQueue(queueRedis, env.REDIS_PREFIX),
    inbound: createInboundQueue(queueRedis, env.REDIS_PREFIX),
    kbIndex: createKbIndexQueue(queueRedis, env.REDIS_PREFIX),
    sla: createSlaQueue(queueRedis, env.REDIS_PREFIX),
    webhooks: createWebhooksQueue(queueRedis, env.REDIS_PREFIX),
  };
  let emitterRedis: ReturnType<typeof createRedis> | null = null;
  const broadcaster =
    opts.broadcaster ??
    (() => new Emitter((emitterRedis ??= createRedis("producer", env.REDIS_URL)), { key: adapterKey(env.REDIS_PREFIX) }));
  let emit: ReturnType<typeof roomEmitter> | null = null;
  const enqueueEmails = emailEnqueuer(queues.notifications);
  const enqueueKbIndex = kbIndexEnqueuer(queues.kbIndex);
  // Connects at the first SLA question only: scripts that never ask open no extra connection.
  const slaChanges = pgChangeFeed(env.DATABASE_URL, "sla_settings_changed");
  const clock = opts.clock ?? systemClock;
  // One object every mail reads, kept current in place whenever an admin's change is heard.
  const mail = mailSettings(env);
  const settingsChanges = pgChangeFeed(env.DATABASE_URL, "app_settings_changed");
  const settings = dbSettingsSource(db, settingsChanges, siteDefaults(mail, env.BUSINESS_TIME_ZONE), (live) => applyLive(mail, live));
  const deps: Deps = {
    db,
    clock,
    bus: createDispatcher({
      // Resolved at the first event: the web server's socket.io exists only once its HTTP server does.
      emit: (rooms, event, payload) => (emit ??= roomEmitter(broadcaster()))(rooms, event, payload),
      enqueueEmails,
      enqueueKbIndex,
      notifyRequester: (event) => notifyRequester({ db, clock }, event),
      // A deactivated person's browsers hear nothing more: their reconnect is refused (readSession).
      disconnectUser: (userId) => void broadcaster().in(rooms.user(userId)).disconnectSockets(true),
      onError: opts.onDispatchError,
    }),
    mail,
    settings,
    search: createSearchEngine({ db, meiliUrl: env.MEILI_URL, meiliKey: env.MEILI_MASTER_KEY }),
    queues: {
      enqueueEmails,
      requeueEmail: emailRequeuer(queues.notifications),
      enqueueInbound: inboundEnqueuer(queues.inbound),
      enqueueKbIndex,
      scheduleAutoClose: autoCloseScheduler(queues.sla),
      scheduleSlaTimer: slaTimerScheduler(queues.sla),
      enqueueWebhookDeliveries: webhookEnqueuer(queues.webhooks, { backoffMs: env.WEBHOOKS_BACKOFF_MS }),
    },
    store: localBlobStore(env.STORAGE_DIR),
    rateLimits: createRateLimits(redis, env.REDIS_PREFIX),
    sla: dbSlaSource(db, slaChanges, { timeZone: env.BUSINESS_TIME_ZONE, holidays: env.BUSINESS_HOLIDAYS }),
    secrets: { session: env.NEXTAUTH_SECRET, mailKey: mailSecretsKey(env) },
    webhooks: { targets: webhookTargetPolicy(env) },
  };
  return {
    deps,
    queues,
    redis,
    async close() {
      // Every resource is released even when one of them fails to close (Redis away).
      try {
        await Promise.allSettled([...Object.values(queues).map((q) => q.close()), slaChanges.close(), settingsChanges.close()]);
      } finally {
        for (const r of [redis, queueRedis, emitterRedis]) r?.disconnect();
        if (!opts.db) await db.$disconnect();
      }
    },
  };
}

/** The SSRF guard's policy from the environment (src/env.ts refuses private targets in production). */
export function webhookTargetPolicy(env: Env) {
  return { allowPrivate: env.WEBHOOKS_ALLOW_PRIVATE_TARGETS, allowedPorts: env.WEBHOOKS_ALLOWED_PORTS, resolve: systemResolver };
}
