// `npm run bench:people`: /admin/clientes at scale (issue 16 item 2). 100,000 customers (a tenth with
// a profile company, a twentieth in one of 200 organizations) in the bench's own database, filled
// with SQL. Timed server-side in this process, as bench/portal.ts does: the domain function the
// people.customers procedure calls, with its output schema applied, against the real database.
// Cases: the first page, a page deep in the cursor walk, searches by address, name, company and
// organization name, and a search that matches nothing. Goal: p95 < 50 ms. Flags: --help.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDb } from "~/server/db/client";
import type { Actor } from "~/server/modules/actor";
import { listCustomers } from "~/server/modules/people/customers";
import { customerPage } from "~/shared/schemas/people";
import { prepareDatabase } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { gitCommit } from "./support/git";
import { now } from "./support/protocol";
import { fmtMs, summarize, table, type Summary } from "./support/stats";

const ROOT = path.resolve(import.meta.dirname, "..");
const GOAL_P95_MS = 50;
const flags = parseBenchFlags(process.argv.slice(2), {
  defaults: { customers: 100_000, organizations: 200, iterations: 200, warmup: 20, "deep-pages": 20 },
  switches: ["strict"] as const,
  strings: ["out"] as const,
  usage: "npm run bench:people -- [--flag=value …]",
  help: `  --out=bench/results/people-<date>.json\n  --strict   exit 1 when a case misses p95 < ${GOAL_P95_MS} ms`,
});

const DATABASE_URL = process.env.BENCH_PEOPLE_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_people";
assertLoopback(DATABASE_URL);
const t0 = now();
const log = (line: string) => process.stderr.write(`[bench ${((now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

async function main() {
  log(`preparing ${DATABASE_URL}`);
  const client = await prepareDatabase(DATABASE_URL);
  await client.query(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ('bench-admin', 'admin@bench.test', 'Admin', 'ADMIN', 'es', now())`);
  await client.query(
    `INSERT INTO "Organization" (id, name) SELECT 'bench-org-' || g, 'Empresa ' || g || ' Transportes' FROM generate_series(1, $1::int) g`,
    [flags.organizations],
  );
  const started = now();
  await client.query(
    `INSERT INTO "User" (id, email, name, role, locale, company, "organizationId", "createdAt", "updatedAt")
     SELECT 'bench-c-' || g, 'cliente' || g || '@dominio' || (g % 997) || '.test', 'Cliente ' || g || ' Apellido' || (g % 313), 'CUSTOMER', 'es',
       CASE WHEN g % 10 = 0 THEN 'Compañía ' || (g % 541) ELSE NULL END,
       CASE WHEN g % 20 = 0 AND $2::int > 0 THEN 'bench-org-' || (1 + g % $2::int) ELSE NULL END,
       timestamp '2026-01-01' + g * interval '1 minute', now()
     FROM generate_series(1, $1::int) g`,
    [flags.customers, flags.organizations],
  );
  // As autovacuum would: statistics, and the trigram index's pending list merged.
  await client.query(`VACUUM ANALYZE "User"`);
  log(`${flags.customers} customers in ${((now() - started) / 1000).toFixed(1)} s`);
  await client.end();

  const db = createDb(DATABASE_URL, 4);
  const deps = { db };
  const admin: Actor = { id: "bench-admin", role: "ADMIN", locale: "es", timeZone: null };
  const list = async (input: Parameters<typeof listCustomers>[2]) => customerPage.parse(await listCustomers(deps, admin, input));

  // A cursor deep in the list: walk `deep-pages` pages of 50 once.
  let cursor: string | null = null;
  for (let i = 0; i < flags["deep-pages"]; i++) cursor = (await list({ limit: 50, cursor })).nextCursor;
  const mid = Math.max(1, Math.floor(flags.customers / 2));
  const cases: Array<{ name: string; input: Parameters<typeof listCustomers>[2] }> = [
    { name: "first page (50)", input: { limit: 50 } },
    { name: `page after ${flags["deep-pages"]} pages`, input: { limit: 50, cursor } },
    { name: "search: full address", input: { q: `cliente${mid}@dominio${mid % 997}.test` } },
    { name: "search: address fragment", input: { q: `dominio${mid % 997}.` } },
    { name: "search: name", input: { q: `apellido${mid % 313}` } },
    { name: "search: company", input: { q: "compañía 17" } },
    { name: "search: organization name", input: { q: "empresa 41 transportes" } },
    { name: "search: no match", input: { q: "zzzz-nadie-se-llama-asi" } },
  ];
  const results: Array<{ name: string; rows: number; summary: Summary }> = [];
  for (const c of cases) {
    for (let i = 0; i < flags.warmup; i++) await list(c.input);
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < flags.iterations; i++) {
      const t = now();
      rows = (await list(c.input)).items.length;
      times.push(now() - t);
    }
    const summary = summarize(times);
    results.push({ name: c.name, rows, summary });
    log(`${c.name}: p95 ${fmtMs(summary.p95)} ms (${rows} rows)`);
  }
  await db.$disconnect();

  console.log(
    table(
      ["case", "rows", "p50 ms", "p95 ms", "p99 ms", "max ms", `p95 < ${GOAL_P95_MS}`],
      results.map((r) => [r.name, r.rows, fmtMs(r.summary.p50), fmtMs(r.summary.p95), fmtMs(r.summary.p99), fmtMs(r.summary.max), r.summary.p95 < GOAL_P95_MS ? "yes" : "NO"]),
    ),
  );
  const out = flags.out ?? path.join("bench", "results", `people-${new Date().toISOString().slice(0, 10)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ bench: "people", commit: gitCommit(ROOT), at: new Date().toISOString(), flags, cases: results }, null, 2));
  log(`results saved to ${out}`);
  if (flags.strict && results.some((r) => r.summary.p95 >= GOAL_P95_MS)) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
