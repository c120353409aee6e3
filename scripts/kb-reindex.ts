// `npm run kb:reindex`: empties the knowledge-base search index and indexes every published
// article again, with a progress bar. Uses the engine the app uses (Meilisearch when MEILI_URL is
// set, PostgreSQL otherwise). Safe while the app runs: see reindexAll.
import { env } from "~/env";
import { createDb } from "~/server/db/client";
import { reindexAll, type ReindexProgress } from "~/server/modules/kb/reindex";
import { createSearchEngine } from "~/server/adapters/create-search-engine";

const WIDTH = 30;

function progressBar({ done, total }: ReindexProgress, elapsedMs: number): string {
  const ratio = total ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * WIDTH);
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total} articles  ${rate.toFixed(0)}/s`;
}

const db = createDb(env.DATABASE_URL, 5);
const engine = createSearchEngine({ db, meiliUrl: env.MEILI_URL, meiliKey: env.MEILI_MASTER_KEY });
const tty = process.stdout.isTTY;
const started = performance.now();
let lastLine = 0;
console.log(`→ reindexing the knowledge base (${engine.name})`);
try {
  const result = await reindexAll({ db }, engine, (p) => {
    const now = performance.now();
    const line = progressBar(p, now - started);
    if (tty) process.stdout.write(`\r${line}`);
    else if (p.done === p.total || now - lastLine > 1000) {
      console.log(line);
      lastLine = now;
    }
  });
  if (tty) process.stdout.write("\n");
  const s = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`→ done: ${result.done} articles in ${s} s${result.corrected ? ` (${result.corrected} changed meanwhile, indexed again)` : ""}`);
} catch (err) {
  if (tty) process.stdout.write("\n");
  console.error(`✗ reindex failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
