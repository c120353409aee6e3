// The environment the benchmarks give the app's own processes (web, workers): the bench database
// and Redis prefix, loopback only, production mode, no demo data, no outgoing SMTP (notification
// mails are rendered and marked sent, as in the demo).

/** The session secret of the bench's web process; the orchestrators sign their cookies with it. */
export const BENCH_SECRET = "ventanilla-bench-secret-not-for-production";

export function benchAppEnv(target: { databaseUrl: string; redisUrl: string; redisPrefix: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: target.databaseUrl,
    REDIS_URL: target.redisUrl,
    REDIS_PREFIX: target.redisPrefix,
    PUBLIC_URL: "http://127.0.0.1:3000",
    NEXTAUTH_SECRET: BENCH_SECRET,
    SEED_DEMO: "0",
    SMTP_URL: "",
    ...extra,
  };
}
