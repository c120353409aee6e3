import pg from "pg";
import { Redis } from "ioredis";
import { env } from "~/env";

// One clear line per missing service, with the command that starts it elsewhere.
const problems: string[] = [];
const admin = new URL(env.DATABASE_URL);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query("SELECT 1");
} catch (err) {
  problems.push(`PostgreSQL is not reachable at ${admin.host} (${(err as Error).message}). Start it, e.g. \`docker compose up -d postgres\`, or set DATABASE_URL.`);
} finally {
  await client.end().catch(() => {});
}
const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
redis.on("error", () => {});
try {
  await redis.connect();
  await redis.ping();
} catch (err) {
  problems.push(`Redis is not reachable at ${new URL(env.REDIS_URL).host} (${(err as Error).message}). Start it, e.g. \`docker compose up -d redis\`, or set REDIS_URL.`);
} finally {
  redis.disconnect();
}
if (problems.length) {
  for (const p of problems) console.error(`✗ ${p}`);
  process.exit(1);
}
