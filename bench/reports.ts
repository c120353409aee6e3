// `npm run bench:reports` (issue 16): the three figures the issue names, one part after the other,
// each its own script with its own flags and results file:
//   charts    bench/reports-charts.ts    every report for a year and a month at 1,000,000 tickets (< 200 ms p95)
//   api       bench/reports-api.ts       the REST ticket list against tRPC's, same harness as bench:api
//   webhooks  bench/reports-webhooks.ts  1,000 deliveries to a local receiver failing half once (≥ 200/s, none lost)
//
//   npm run bench:reports                                   # all three, default flags
//   npm run bench:reports -- --only=api,webhooks            # some parts
//   npm run bench:reports -- --charts-tickets=100000        # --<part>-<flag>=v goes to that part as --<flag>=v
import { spawnSync } from "node:child_process";
import path from "node:path";

const PARTS = ["charts", "api", "webhooks"] as const;
type Part = (typeof PARTS)[number];

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log("npm run bench:reports -- [--only=charts,api,webhooks] [--<part>-<flag>=value …]\nEach part's own flags: npx tsx bench/reports-<part>.ts --help");
  process.exit(0);
}
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",") ?? [...PARTS];
for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`unknown part ${p} (${PARTS.join(", ")})`);

function flagsFor(part: Part): string[] {
  const prefix = `--${part}-`;
  return args.filter((a) => a.startsWith(prefix)).map((a) => `--${a.slice(prefix.length)}`);
}

const root = path.resolve(import.meta.dirname, "..");
const failed: string[] = [];
for (const part of PARTS.filter((p) => only.includes(p))) {
  console.log(`\n=== bench:reports · ${part} ===`);
  const r = spawnSync("npx", ["tsx", path.join("bench", `reports-${part}.ts`), ...flagsFor(part)], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) failed.push(part);
}
if (failed.length) {
  console.error(`\nbench:reports: ${failed.join(", ")} failed`);
  process.exit(1);
}
