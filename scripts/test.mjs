// `npm test`: installs what the tests need (dependencies, Prisma client, Chromium) and runs them all.
import { ensureDependencies, run } from "./lib.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
ensureDependencies();

console.log("→ typecheck");
run("npx", ["tsc", "--noEmit"]);

console.log("→ unit and integration tests (vitest, real PostgreSQL and Redis)");
run("npx", ["vitest", "run"]);
