import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { ensureDatabase, migrate } from "../../src/server/db/migrate";
import { startOAuth2Provider } from "./oauth2-provider";
import { startOidcProvider } from "./oidc-provider";
import { startSmtpSink } from "./smtp-sink";

const root = path.resolve(import.meta.dirname, "../..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

async function waitHealthy(url: string, children: ChildProcess[]) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (children.some((c) => c.exitCode !== null)) throw new Error("the app exited during start-up");
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/api/health never became healthy`);
}

/** Boots the real product for the browser tests: own database, Redis prefix, SMTP server and port. */
export default async function globalSetup() {
  const run_id = `${process.pid}`;
  const databaseUrl = `postgresql://postgres@127.0.0.1:5432/ventanilla_e2e_${run_id}`;
  const prefix = `vt-e2e-${run_id}`;
  const mailDir = path.join(root, "var", `e2e-mail-${run_id}`);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const smtp = await startSmtpSink(mailDir);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // "Google": a real OpenID provider on loopback. The app reads its settings at start-up, so it runs first.
  const google = await startOidcProvider({ redirectUri: `${baseUrl}/api/auth/callback/google` });
  // "Facebook": a plain OAuth 2.0 server with a Graph-like /me (e2e/support/oauth2-provider.ts).
  const facebook = await startOAuth2Provider({ redirectUri: `${baseUrl}/api/auth/callback/facebook` });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: prefix,
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    SMTP_INBOUND_PORT: String(await freePort()),
    SMTP_INBOUND_HOST: "127.0.0.1",
    STORAGE_DIR: path.join(root, "var", `e2e-storage-${run_id}`),
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    MAIL_SECRETS_KEY: randomBytes(32).toString("base64url"),
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ISSUER: google.issuer,
    FACEBOOK_CLIENT_ID: facebook.clientId,
    FACEBOOK_CLIENT_SECRET: facebook.clientSecret,
    FACEBOOK_AUTHORIZATION_URL: facebook.authorizationUrl,
    FACEBOOK_TOKEN_URL: facebook.tokenUrl,
    FACEBOOK_USERINFO_URL: facebook.userinfoUrl,
    // Two web processes (node:cluster): every browser test also proves requests and sockets work whichever process answers.
    WEB_PROCESSES: "2",
    LOG_LEVEL: "warn",
    METRICS_TOKEN: randomBytes(32).toString("base64url"),
    // The webhook spec's receiver listens on loopback (allowed: PUBLIC_URL is loopback too, src/env.ts).
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1",
  };
  await run("npx", ["tsx", "prisma/seed.ts"], env);
  const children = [
    // One process each (node + tsx's loader), so the SIGTERM of the teardown reaches the program.
    spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] }),
    spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] }),
  ];
  try {
    await waitHealthy(baseUrl, children);
  } catch (err) {
    // Playwright runs no teardown when the setup fails: nothing started here may outlive the run.
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await Promise.allSettled([smtp.close(), google.close(), facebook.close()]);
    throw err;
  }
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_SMTP_INBOUND_PORT = env.SMTP_INBOUND_PORT;
  process.env.E2E_MAIL_DIR = mailDir;
  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_METRICS_TOKEN = env.METRICS_TOKEN;

  return async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
            setTimeout(() => c.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
    await smtp.close();
    await google.close();
    await facebook.close();
    rmSync(mailDir, { recursive: true, force: true });
    rmSync(path.join(root, "var", `e2e-storage-${run_id}`), { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "ventanilla_e2e_${run_id}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    redis.disconnect();
  };
}
