import next from "next";
import { env, exposeAuthUrl, publicUrl } from "~/env";
import { startServer } from "./http/create-server";
import { createLogger } from "./observability/logger";
import { warnUnlessNoEviction } from "./redis-policy";

const log = createLogger(env, { name: "web" });

async function main() {
  exposeAuthUrl(env);
  const dev = env.NODE_ENV === "development" && process.argv.includes("--dev");
  const app = next({ dev, dir: process.cwd(), port: env.PORT, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = await startServer({ env, next: (req, res) => handle(req, res), log });
  log.info({ url: publicUrl(env), port: server.port }, `listening on ${publicUrl(env)} (port ${server.port})`);
  await warnUnlessNoEviction(env.REDIS_URL, (line) => log.warn(line));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  log.fatal({ err }, "failed to start");
  process.exit(1);
});
