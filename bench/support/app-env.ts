// The environment the benchmarks give the app's own processes (web, workers): the bench database
// and Redis prefix, loopback only, production mode, no demo data, no outgoing SMTP (notification
// mails are rendered and marked sent, as in the demo).

import { randomBytes } from "node:crypto";

/** The session secret of the bench's web process, drawn per run; the orchestrators sign their cookies with it. */
export const BENCH_SECRET = randomBytes(32).toString("base64url");
const BENCH_MAIL_KEY = randomBytes(32).toString("base64url");

export function benchAppEnv(target: { databaseUrl: string; redisUrl: string; redisPrefix: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: target.databaseUrl,
    REDIS_URL: target.redisUrl,
    REDIS_PREFIX: target.redisPrefix,
    PUBLIC_URL: "http://127.0.0.1:3000",
    NEXTAUTH_SECRET: BENCH_SECRET,
    MAIL_SECRETS_KEY: BENCH_MAIL_KEY,
    SEED_DEMO: "0",
    SMTP_URL: "",
    ...extra,
  };
}
