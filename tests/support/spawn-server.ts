// A second web process for the multi-node realtime tests: `npx tsx tests/support/spawn-server.ts`.
// Takes its settings from process.env (the same DATABASE_URL / REDIS_PREFIX / NEXTAUTH_SECRET as
// the test run), listens on a free port and prints {"port": N} as one JSON line on stdout.
// Closes cleanly on SIGTERM / SIGINT, or when its stdin closes (the parent test died).
import { env } from "~/env";
import { startServer } from "~/server/http/create-server";
import { createLogger } from "~/server/observability/logger";

async function main() {
  const server = await startServer({
    env: { ...env, PORT: 0, HOST: "127.0.0.1" },
    log: createLogger({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? "warn" }, { name: "spawned server", destination: process.stderr }),
  });
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ port: server.port, pid: process.pid })}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`[spawned server] failed to start: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
