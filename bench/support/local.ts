import net from "node:net";
import { Redis as IORedis, type Redis } from "ioredis";

/** A free TCP port on loopback, for the app processes a benchmark starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A Redis connection for a benchmark, its prefix emptied of an earlier run's keys (logged). */
export async function cleanRedis(url: string, prefix: string, log: (line: string) => void): Promise<Redis> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 2 });
  log(`redis: removed ${await clearRedisPrefix(redis, prefix)} stale ${prefix}:* keys`);
  return redis;
}

/** Deletes every key under the benchmark's Redis prefix; returns how many. */
export async function clearRedisPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length) n += await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  return n;
}
