// `npm start`: install, migrate, seed, build, then run the web app and the workers (with the inbound
// SMTP listener) until Ctrl-C.
import { ensureBuild, ensureDependencies, ensureSecrets, run, spawnLogged } from "./lib.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.NODE_ENV = "production";
const port = process.env.PORT ?? "3000";
const url = process.env.PUBLIC_URL ?? `http://localhost:${port}`;

ensureDependencies();
Object.assign(process.env, ensureSecrets());
run("npx", ["tsx", "scripts/preflight.ts"]);
run("npx", ["tsx", "scripts/migrate.ts"]);
if (process.env.SEED_DEMO !== "0") run("npx", ["tsx", "prisma/seed.ts"]);

ensureBuild();

const children = [
  spawnLogged("web", "src/server/main.ts"),
  spawnLogged("workers", "workers/index.ts"),
];

async function waitHealthy() {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const healthy = await waitHealthy();
console.log(`
${healthy ? "✓ Ventanilla is running" : "! Ventanilla started, but /api/health is not green yet"}: ${url}

  Demo logins (password: ventanilla-demo)
    admin@ventanilla.test    administrator (dev mailbox at ${url}/admin/mailbox)
    agente@ventanilla.test   agent (live queue at ${url}/agent)
    cliente@ventanilla.test  customer (portal at ${url}/portal)

  Mail to soporte@ventanilla.test goes to the SMTP listener on port ${process.env.SMTP_INBOUND_PORT ?? "2525"}
  (e.g. swaks --server 127.0.0.1:${process.env.SMTP_INBOUND_PORT ?? "2525"} --to soporte@ventanilla.test).

  Prometheus metrics (the token is METRICS_TOKEN in var/secrets.env, unless set in the environment):
    curl -H "Authorization: Bearer $METRICS_TOKEN" ${url}/metrics

  Ctrl-C stops everything.
`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  const timer = setTimeout(() => process.exit(0), 10_000);
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on("exit", r))))).then(() => {
    clearTimeout(timer);
    process.exit(0);
  });
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const c of children) c.on("exit", () => stop());
