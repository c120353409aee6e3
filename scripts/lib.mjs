// Shared by `npm start` and `npm test`: plain Node, no dependencies, so it runs before `npm install`.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...opts.env }, shell: false });
  if (res.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(" ")} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
}

function stamp(file) {
  return createHash("sha256").update(readFileSync(path.join(root, file))).digest("hex");
}

/** npm install when package-lock.json changed since the last install (or nothing is installed). */
export function ensureDependencies() {
  const marker = path.join(root, "node_modules", ".ventanilla-lock");
  const want = stamp("package-lock.json");
  if (!existsSync(marker) || readFileSync(marker, "utf8") !== want) {
    console.log("→ installing dependencies…");
    // `npm ci` refuses this lock: the registry snapshot lacks some other platforms' optional binaries.
    // --include=dev: `npm start` runs with NODE_ENV=production, which would otherwise prune the
    // test tools that `npm test` needs next.
    run("npm", ["install", "--include=dev", "--no-audit", "--no-fund", "--loglevel=error"]);
    writeFileSync(marker, want);
  }
  const generated = path.join(root, "src/server/generated/.schema-hash");
  const schema = stamp("prisma/schema.prisma");
  if (!existsSync(generated) || readFileSync(generated, "utf8") !== schema) {
    console.log("→ generating the Prisma client…");
    run("npx", ["prisma", "generate"], { env: { DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" } });
    mkdirSync(path.dirname(generated), { recursive: true });
    writeFileSync(generated, schema);
  }
}

/**
 * Runs a TypeScript entry point as ONE process (node with tsx's loader, not npx → sh → tsx → node),
 * so the SIGTERM we send on Ctrl-C reaches the program itself.
 */
export function spawnLogged(name, script, env) {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM" && signal !== "SIGINT") console.error(`✗ ${name} exited (${code ?? signal})`);
  });
  return child;
}

/** `next build`, only when the sources changed since the last build. */
export function ensureBuild() {
  const h = createHash("sha256");
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === "generated" || name === "node_modules") continue;
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  walk(path.join(root, "src"));
  for (const f of ["next.config.mjs", "package-lock.json", "tsconfig.json"]) h.update(readFileSync(path.join(root, f)));
  const hash = h.digest("hex");
  const marker = path.join(root, ".next", ".ventanilla-build");
  if (existsSync(marker) && readFileSync(marker, "utf8") === hash) {
    console.log("→ web app build is up to date");
    return;
  }
  console.log("→ building the web app (next build)…");
  run("npx", ["next", "build"], { env: { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
  writeFileSync(marker, hash);
}

/**
 * Debian packages the tests drive as real parts: Chromium (Playwright's own browser download cannot
 * work offline), Dovecot (the IMAP poller tests start a private instance) and swaks (a second,
 * independent SMTP client), with the Perl TLS module swaks needs for STARTTLS. One `apt-get` run for
 * whatever is missing.
 */
const perlModule = (name) => spawnSync("perl", [`-M${name}`, "-e", "1"], { stdio: "ignore" }).status === 0;
const TEST_PACKAGES = [
  { present: () => existsSync("/usr/bin/chromium"), pkg: "chromium" },
  { present: () => existsSync("/usr/sbin/dovecot"), pkg: "dovecot-imapd" },
  { present: () => existsSync("/usr/bin/swaks"), pkg: "swaks" },
  { present: () => perlModule("Net::SSLeay"), pkg: "libnet-ssleay-perl" },
];

export function ensureTestPackages() {
  const missing = TEST_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
  if (!missing.length) return;
  console.log(`→ installing ${missing.join(", ")} from Debian (apt-get)…`);
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env: { DEBIAN_FRONTEND: "noninteractive" } });
}
