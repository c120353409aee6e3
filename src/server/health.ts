import type { Redis } from "ioredis";
import type { Db } from "./db/client";
import { redisKey } from "./redis";

export const WORKER_HEARTBEAT_TTL_S = 15;

export function heartbeatKey(prefix: string): string {
  return redisKey(prefix, "workers", "heartbeat");
}

export interface HealthReport {
  status: "ok" | "degraded";
  database: "up" | "down";
  redis: "up" | "down";
  workers: "up" | "down";
  checkedAt: string;
}

async function probe(fn: () => Promise<unknown>, ms = 1500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), ms)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Workers write a heartbeat key with a TTL; its presence means at least one worker is alive. */
export async function checkHealth(deps: { db: Db; redis: Redis; prefix: string }): Promise<HealthReport> {
  const [database, redis, workers] = await Promise.all([
    probe(() => deps.db.$queryRaw`SELECT 1`),
    probe(() => deps.redis.ping()),
    probe(async () => {
      if (!(await deps.redis.exists(heartbeatKey(deps.prefix)))) throw new Error("no heartbeat");
    }),
  ]);
  const up = (b: boolean) => (b ? "up" : "down") as "up" | "down";
  return {
    status: database && redis && workers ? "ok" : "degraded",
    database: up(database),
    redis: up(redis),
    workers: up(workers),
    checkedAt: new Date().toISOString(),
  };
}
