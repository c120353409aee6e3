import type { Redis } from "ioredis";
import { createRedis } from "./redis";

/**
 * BullMQ keeps every job in Redis: under any eviction policy but `noeviction`, a Redis short of
 * memory deletes keys, and queued mail (in and out) is silently lost. Read from `INFO memory`, which
 * managed Redis services answer even where they rename or disable CONFIG.
 */
export async function readEvictionPolicy(redis: Pick<Redis, "info">): Promise<string | null> {
  const info = await redis.info("memory");
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
}

/** One line to print when the policy puts jobs at risk; null when it is `noeviction`. */
export function evictionWarning(policy: string | null): string | null {
  if (policy === "noeviction") return null;
  return policy
    ? `WARNING: Redis maxmemory-policy is "${policy}", not "noeviction": a Redis short of memory would delete queued jobs and mail would be lost (set "maxmemory-policy noeviction")`
    : `WARNING: could not read Redis's maxmemory-policy; it must be "noeviction", or a Redis short of memory would delete queued jobs`;
}

/**
 * Checks the policy once at start-up (web and workers) and logs the warning, if any. Never stops the
 * start: an unreachable Redis is reported by what needs it, so that case stays silent here.
 */
export async function warnUnlessNoEviction(url: string, log: (line: string) => void): Promise<string | null> {
  const redis = createRedis("producer", url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    const warning = evictionWarning(await readEvictionPolicy(redis));
    if (warning) log(warning);
    return warning;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}
