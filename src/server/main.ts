import next from "next";
import { env, exposeAuthUrl, publicUrl } from "~/env";
import { startServer } from "./http/create-server";
import { warnUnlessNoEviction } from "./redis-policy";

const log = (line: string) => console.log(`[web] ${line}`);

async function main() {
  exposeAuthUrl(env);
  const dev = env.NODE_ENV === "development" && process.argv.includes("--dev");
  const app = next({ dev, dir: process.cwd(), port: env.PORT, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = await startServer({ env, next: (req, res) => handle(req, res), log });
  log(`listening on ${publicUrl(env)} (port ${server.port})`);
  await warnUnlessNoEviction(env.REDIS_URL, log);

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
  console.error(`[web] failed to start: ${(err as Error).stack}`);
  process.exit(1);
});
