// `npm test`: installs what the tests need (dependencies, Prisma client, Chromium, Dovecot, swaks, a build) and runs them all.
import { ensureBuild, ensureDependencies, ensureTestPackages, run } from "./lib.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
ensureDependencies();
ensureTestPackages();

console.log("→ typecheck");
run("npx", ["tsc", "--noEmit"]);

console.log("→ unit and integration tests (vitest: real PostgreSQL, Redis, SMTP, IMAP, socket.io)");
run("npx", ["vitest", "run"]);

console.log("→ browser tests (Playwright in Debian's Chromium against the built app)");
ensureBuild();
run("npx", ["playwright", "test"]);
