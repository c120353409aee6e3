import { Redis, type RedisOptions } from "ioredis";
import { env } from "~/env";

export type RedisRole = "worker" | "producer" | "pubsub";

/**
 * The one place Redis connections are made. Workers (and blocking subscribers) must retry
 * forever; producers fail fast so a request never hangs on a dead Redis.
 */
export function createRedis(role: RedisRole, url: string = env.REDIS_URL, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === "producer"
      ? { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 2000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  const client = new Redis(url, { ...options, lazyConnect: false, ...extra });
  client.on("error", () => {
    // ioredis reconnects by itself; callers learn of a dead Redis from their failed commands.
  });
  return client;
}

export function redisKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join(":");
}
