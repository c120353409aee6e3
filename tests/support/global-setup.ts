import pg from "pg";
import { Redis } from "ioredis";
import { ensureDatabase, migrate } from "../../src/server/db/migrate";

function testDbUrl(): string {
  return process.env.TEST_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/ventanilla_test_${process.env.VT_TEST_RUN}`;
}

export async function setup() {
  const url = testDbUrl();
  await ensureDatabase(url);
  await migrate(url);
}

export async function teardown() {
  const url = new URL(testDbUrl());
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const prefix = `vt-test-${process.env.VT_TEST_RUN}`;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
}
