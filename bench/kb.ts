// `npm run bench:kb`: knowledge-base search at scale, on both engines behind the one contract.
//
//   1. its own database (ventanilla_bench_kb): created, migrated, its KB tables emptied
//   2. 10,000 published articles (es/en, 300–2,000 words, 5 tags) + 200 drafts, inserted with SQL
//   3. indexing: every article through the job path (indexArticle, one at a time), then the full
//      reindex (reindexAll, what `npm run kb:reindex` runs)
//   4. 1,000 queries (1–4 words, 10% with a typo), after a warm-up, one at a time
//   5. the same on Meilisearch where a server answers at MEILI_URL (loopback only), else "skipped"
//
// See bench/README.md ("npm run bench:kb") for what each number means. Flags: --help.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb } from "~/server/db/client";
import { ensureDatabase, migrate } from "~/server/db/migrate";
import { indexArticle } from "~/server/modules/kb/index-article";
import { reindexAll } from "~/server/modules/kb/reindex";
import type { SearchEngine, SearchHit } from "~/server/modules/kb/search/engine";
import { meiliReachable, meiliSearchEngine } from "~/server/adapters/meilisearch/meili-engine";
import { BODY_CANDIDATES, pgSearchEngine } from "~/server/modules/kb/search/pg-engine";
import { CATEGORIES, SYNONYMS, generateArticle, generateQuery, seeded, type GeneratedQuery } from "./support/kb-content";
import { fmtMs, summarize, table, type Summary } from "./support/stats";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { gitCommit } from "./support/git";

const ROOT = path.resolve(import.meta.dirname, "..");
const SEARCH_P95_TARGET_MS = 20;
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

const DEFAULTS = {
  articles: 10_000,
  drafts: 200,
  queries: 1000,
  warmup: 100, // queries run first and not counted (same generator, other seed)
  limit: 10, // results per search (the help centre's page size)
  seed: 20261124,
  timeout: 1800, // hard limit for the whole run, seconds
};
type Flags = typeof DEFAULTS & { out?: string; strict: boolean; "skip-meili": boolean; "search-only": boolean };

function parseFlags(argv: string[]): Flags {
  const flags = parseBenchFlags(argv, {
    defaults: DEFAULTS,
    switches: ["strict", "skip-meili", "search-only"] as const,
    strings: ["out"] as const,
    usage: "npm run bench:kb -- [--flag=value …]",
    help: `  --out=bench/results/kb-<date>.json\n  --skip-meili  --strict (exit 1 when the p95 target is missed)\n` +
          `  --search-only (reuse the articles and PostgreSQL index of the previous run: no generation, no indexing)\n` +
          `env: BENCH_KB_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/ventanilla_bench_kb), MEILI_URL, MEILI_MASTER_KEY`,
  });
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
const DATABASE_URL = process.env.BENCH_KB_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_kb";
const MEILI_URL = process.env.MEILI_URL || undefined;
const MEILI_KEY = process.env.MEILI_MASTER_KEY || undefined;
{
  const u = new URL(DATABASE_URL);
  if (!LOOPBACK.includes(u.hostname)) throw new Error(`loopback only: ${DATABASE_URL}`);
  if (!u.pathname.slice(1).includes("bench")) throw new Error(`refusing to empty ${u.pathname.slice(1)}: not a bench database`);
}

const t0Run = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - t0Run) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);


/** A progress line on stderr, redrawn in place on a terminal, every 10% otherwise. */
function progress(label: string) {
  let lastTenth = -1;
  return (done: number, total: number) => {
    const ratio = total ? done / total : 1;
    const bar = `${label} [${"#".repeat(Math.round(ratio * 30)).padEnd(30, "-")}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${bar}${done >= total ? "\n" : ""}`);
    else if (Math.floor(ratio * 10) > lastTenth) {
      lastTenth = Math.floor(ratio * 10);
      process.stderr.write(`${bar}\n`);
    }
  };
}

// ── data ──────────────────────────────────────────────────────────────────────────────────────
async function prepareDatabase(): Promise<pg.Client> {
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL);
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`TRUNCATE "Article", "ArticleVersion", "ArticleFeedback", "KbCategory", "SearchSynonym", "KbSearchDocument", "KbSearchTerm" CASCADE`);
  return client;
}

interface Dataset {
  published: string[];
  drafts: Set<string>;
  words: Summary;
  languages: Record<"es" | "en", number>;
}

async function seedArticles(client: pg.Client): Promise<Dataset> {
  await client.query(
    `INSERT INTO "KbCategory" (id, slug, "nameEs", "nameEn", position) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])`,
    [CATEGORIES.map((c) => c.id), CATEGORIES.map((c) => c.slug), CATEGORIES.map((c) => c.nameEs), CATEGORIES.map((c) => c.nameEn), CATEGORIES.map((_, i) => i)],
  );
  const r = seeded(flags.seed);
  const total = flags.articles + flags.drafts;
  const published: string[] = [];
  const drafts = new Set<string>();
  const words: number[] = [];
  const languages = { es: 0, en: 0 };
  const bar = progress("insert ");
  const BATCH = 500;
  for (let start = 0; start < total; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(total, start + BATCH); i++) {
      const a = generateArticle(r, i);
      const id = `bench-kb-${String(i).padStart(6, "0")}`;
      const draft = i >= flags.articles;
      (draft ? drafts.add(id) : published.push(id));
      if (!draft) {
        words.push(a.words);
        languages[a.language]++;
      }
      rows.push({ id, ...a, state: draft ? "DRAFT" : "PUBLISHED" });
    }
    await client.query(
      `INSERT INTO "Article" (id, slug, language, "translationKey", title, "bodyMarkdown", tags, "categoryId", state, "updatedAt", "publishedAt")
       SELECT id, slug, language, id, title, body, string_to_array(tags, '|'), category, state::"ArticleState", now(), CASE WHEN state = 'PUBLISHED' THEN now() END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(id, slug, language, title, body, tags, category, state)`,
      [
        rows.map((x) => x.id),
        rows.map((x) => x.slug),
        rows.map((x) => x.language),
        rows.map((x) => x.title),
        rows.map((x) => x.bodyMarkdown),
        rows.map((x) => x.tags.join("|")),
        rows.map((x) => x.categoryId),
        rows.map((x) => x.state),
      ],
    );
    bar(Math.min(total, start + BATCH), total);
  }
  await client.query(`ANALYZE "Article"`);
  return { published, drafts, words: summarize(words), languages };
}

// ── indexing ──────────────────────────────────────────────────────────────────────────────────
interface IndexingResult {
  perArticle: { totalS: number; articlesPerS: number; ms: Summary; draftsRemoved: number };
  reindex: { totalS: number; articlesPerS: number; corrected: number };
}

async function measureIndexing(db: ReturnType<typeof createDb>, engine: SearchEngine, data: Dataset, concurrency: number): Promise<IndexingResult> {
  await engine.clear();
  for (const lang of ["es", "en"] as const) await engine.setSynonyms(lang, SYNONYMS[lang]);
  const deps = { db, search: engine };
  const ids = [...data.published, ...data.drafts];
  const ms: number[] = [];
  let draftsRemoved = 0;
  const bar = progress(`index ${engine.name.padEnd(11)}`);
  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const t = performance.now();
      const outcome = await indexArticle(deps, id);
      const dt = performance.now() - t;
      if (data.drafts.has(id)) {
        if (outcome === "removed") draftsRemoved++;
      } else ms.push(dt);
      if (++done % 100 === 0 || done === ids.length) bar(done, ids.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const totalS = (performance.now() - started) / 1000;

  // The full reindex, as `npm run kb:reindex` runs it (it empties the index first).
  const rbar = progress(`reindex ${engine.name.padEnd(9)}`);
  const r0 = performance.now();
  const r = await reindexAll(deps, (p) => rbar(p.done, p.total), { concurrency: engine.name === "postgres" ? 4 : 16 });
  const reindexS = (performance.now() - r0) / 1000;
  return {
    perArticle: { totalS: round(totalS), articlesPerS: Math.round(data.published.length / totalS), ms: summarize(ms), draftsRemoved },
    reindex: { totalS: round(reindexS), articlesPerS: Math.round(r.done / reindexS), corrected: r.corrected },
  };
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

// ── searching ─────────────────────────────────────────────────────────────────────────────────
interface QueryRun {
  query: GeneratedQuery;
  anyLanguage: boolean;
  ms: number;
  hits: SearchHit[];
}

interface SearchResult {
  all: Summary;
  byKind: Record<string, Summary>;
  zeroResults: number;
  meanHits: number;
  typoQueries: number;
  typoFound: number;
  draftLeaks: number;
  snippetsWithMark: number;
  slowest: Array<{ q: string; language: string; ms: number }>;
}

function makeQueries(seed: number, n: number): Array<{ query: GeneratedQuery; anyLanguage: boolean }> {
  const r = seeded(seed);
  // 10% search every language, as agents inserting an article in a reply do.
  return Array.from({ length: n }, () => ({ query: generateQuery(r), anyLanguage: r() < 0.1 }));
}

async function measureSearch(engine: SearchEngine, data: Dataset): Promise<SearchResult> {
  const run = async ({ query, anyLanguage }: { query: GeneratedQuery; anyLanguage: boolean }): Promise<QueryRun> => {
    const t = performance.now();
    const hits = await engine.search({ q: query.q, language: anyLanguage ? undefined : query.language, limit: flags.limit });
    return { query, anyLanguage, ms: performance.now() - t, hits };
  };
  for (const q of makeQueries(flags.seed + 1, flags.warmup)) await run(q);
  const runs: QueryRun[] = [];
  const bar = progress(`search ${engine.name.padEnd(10)}`);
  const queries = makeQueries(flags.seed + 2, flags.queries);
  for (const q of queries) {
    runs.push(await run(q));
    if (runs.length % 50 === 0 || runs.length === queries.length) bar(runs.length, queries.length);
  }
  const kinds: Record<string, number[]> = {};
  const add = (k: string, v: number) => (kinds[k] ??= []).push(v);
  for (const r of runs) {
    add(`${r.query.words} word${r.query.words > 1 ? "s" : ""}`, r.ms);
    add(r.query.typo ? "with a typo" : "without typo", r.ms);
    add(r.anyLanguage ? "any language" : `language ${r.query.language}`, r.ms);
  }
  const typo = runs.filter((r) => r.query.typo);
  return {
    all: summarize(runs.map((r) => r.ms)),
    byKind: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, summarize(v)])),
    zeroResults: runs.filter((r) => r.hits.length === 0).length,
    meanHits: round(runs.reduce((s, r) => s + r.hits.length, 0) / runs.length),
    typoQueries: typo.length,
    typoFound: typo.filter((r) => r.hits.length > 0).length,
    draftLeaks: runs.reduce((n, r) => n + r.hits.filter((h) => data.drafts.has(h.articleId)).length, 0),
    snippetsWithMark: runs.reduce((n, r) => n + r.hits.filter((h) => h.snippet.includes("<mark>")).length, 0),
    slowest: [...runs]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((r) => ({ q: r.query.q, language: r.anyLanguage ? "any" : r.query.language, ms: round(r.ms) })),
  };
}

// ── report ────────────────────────────────────────────────────────────────────────────────────
interface EngineReport {
  engine: string;
  skipped?: string;
  indexing?: IndexingResult;
  search?: SearchResult;
  storage?: Record<string, number | string>;
}

function printEngine(rep: EngineReport) {
  if (rep.skipped) {
    console.log(`\n${rep.engine}: skipped (${rep.skipped})`);
    return;
  }
  const { indexing: ix, search: s } = rep as EngineReport & { search: SearchResult };
  console.log(`\n── ${rep.engine} ──`);
  if (ix) console.log(
    table(
      ["indexing", "total s", "articles/s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
      [
        ["one job per article (indexArticle)", ix.perArticle.totalS, ix.perArticle.articlesPerS, fmtMs(ix.perArticle.ms.p50), fmtMs(ix.perArticle.ms.p95), fmtMs(ix.perArticle.ms.p99), fmtMs(ix.perArticle.ms.max)],
        ["full reindex (reindexAll)", ix.reindex.totalS, ix.reindex.articlesPerS, "", "", "", ""],
      ],
    ),
  );
  console.log();
  const row = (name: string, m: Summary) => [name, m.n, fmtMs(m.p50), fmtMs(m.p95), fmtMs(m.p99), fmtMs(m.max)];
  console.log(table(["search (ms)", "n", "p50", "p95", "p99", "max"], [row("all queries", s.all), ...Object.entries(s.byKind).map(([k, v]) => row(`  ${k}`, v))]));
  console.log(
    `\nresults: ${s.meanHits} hits per query on average, ${s.zeroResults} queries with none; ` +
      `typo queries with results: ${s.typoFound}/${s.typoQueries}; snippets with <mark>: ${s.snippetsWithMark}; drafts served: ${s.draftLeaks}`,
  );
  console.log(`slowest: ${s.slowest.map((x) => `"${x.q}" (${x.language}) ${fmtMs(x.ms)} ms`).join(", ")}`);
  if (rep.storage) console.log(`storage: ${Object.entries(rep.storage).map(([k, v]) => `${k} ${v}`).join(", ")}`);
}

/** --search-only: the articles the previous run left. */
async function existingArticles(client: pg.Client): Promise<Dataset> {
  const { rows } = await client.query<{ id: string; state: string; language: "es" | "en" }>(`SELECT id, state, language FROM "Article" ORDER BY id`);
  const published = rows.filter((r) => r.state === "PUBLISHED");
  if (!published.length) throw new Error("--search-only: no articles in the bench database; run without it first");
  return {
    published: published.map((r) => r.id),
    drafts: new Set(rows.filter((r) => r.state !== "PUBLISHED").map((r) => r.id)),
    words: summarize([]),
    languages: { es: published.filter((r) => r.language === "es").length, en: published.filter((r) => r.language === "en").length },
  };
}

async function main() {
  let client: pg.Client;
  let data: Dataset;
  if (flags["search-only"]) {
    client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    data = await existingArticles(client);
    flags.articles = data.published.length;
    flags.drafts = data.drafts.size;
  } else {
    log(`database ${new URL(DATABASE_URL).pathname.slice(1)}: create/migrate, empty the KB tables`);
    client = await prepareDatabase();
    log(`generating ${flags.articles} published articles + ${flags.drafts} drafts`);
    data = await seedArticles(client);
  }
  log(`articles: es ${data.languages.es}, en ${data.languages.en}; words per article p50 ${data.words.p50}, mean ${data.words.mean}`);
  const db = createDb(DATABASE_URL, 6);
  const reports: EngineReport[] = [];
  try {
    // PostgreSQL
    const pgEngine = pgSearchEngine(db);
    let indexing: IndexingResult | undefined;
    if (!flags["search-only"]) {
      log("indexing on PostgreSQL");
      indexing = await measureIndexing(db, pgEngine, data, 1);
      await client.query(`ANALYZE "KbSearchDocument"; ANALYZE "KbSearchTerm"`);
    }
    log("searching on PostgreSQL");
    const search = await measureSearch(pgEngine, data);
    const sizes = await client.query<{ docs: string; terms: string; vocabulary: number }>(
      `SELECT pg_size_pretty(pg_total_relation_size('"KbSearchDocument"')) AS docs, pg_size_pretty(pg_total_relation_size('"KbSearchTerm"')) AS terms,
              (SELECT count(*)::int FROM "KbSearchTerm") AS vocabulary`,
    );
    reports.push({ engine: "postgres", indexing, search, storage: { "KbSearchDocument (with indexes)": sizes.rows[0]!.docs, "KbSearchTerm": sizes.rows[0]!.terms, "vocabulary terms": sizes.rows[0]!.vocabulary } });

    // Meilisearch
    let skip: string | null = null;
    if (flags["skip-meili"] || flags["search-only"]) skip = flags["search-only"] ? "--search-only" : "--skip-meili";
    else if (!MEILI_URL) skip = "MEILI_URL is not set";
    else if (!LOOPBACK.includes(new URL(MEILI_URL).hostname)) skip = `MEILI_URL ${MEILI_URL} is not a loopback address`;
    else if (!(await meiliReachable(MEILI_URL))) skip = `no server at ${MEILI_URL}`;
    if (skip) {
      log(`Meilisearch: skipped, ${skip}`);
      reports.push({ engine: "meilisearch", skipped: skip });
    } else {
      const meili = meiliSearchEngine({ url: MEILI_URL!, apiKey: MEILI_KEY, indexPrefix: "ventanilla_bench_kb" });
      log("indexing on Meilisearch");
      const mIndexing = await measureIndexing(db, meili, data, 1);
      log("searching on Meilisearch");
      const mSearch = await measureSearch(meili, data);
      reports.push({ engine: "meilisearch", indexing: mIndexing, search: mSearch });
    }
  } finally {
    await db.$disconnect();
    await client.end();
  }

  console.log(`\nKnowledge-base search: ${flags.articles} articles (es ${data.languages.es}, en ${data.languages.en}; ${data.words.min}–${data.words.max} words, p50 ${data.words.p50}), ${flags.queries} queries, ${flags.limit} results each`);
  for (const rep of reports) printEngine(rep);

  const pgSearch = reports[0]!.search!;
  const checks = [
    { name: `PostgreSQL search p95 < ${SEARCH_P95_TARGET_MS} ms`, ok: pgSearch.all.p95 < SEARCH_P95_TARGET_MS, value: pgSearch.all.p95 },
    { name: "no draft ever served", ok: reports.every((r) => !r.search || r.search.draftLeaks === 0), value: reports.reduce((n, r) => n + (r.search?.draftLeaks ?? 0), 0) },
    { name: "every draft removed by its index job", ok: reports.every((r) => !r.indexing || r.indexing.perArticle.draftsRemoved === data.drafts.size), value: data.drafts.size },
  ];
  console.log(`\n${checks.map((c) => `${c.ok ? "PASS" : "FAIL"}  ${c.name} (${c.value})`).join("\n")}`);

  const date = new Date().toISOString().slice(0, 10);
  const out = flags.out ?? path.join(ROOT, "bench", "results", `kb-${date}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        bench: "kb",
        date: new Date().toISOString(),
        commit: gitCommit(ROOT),
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${os.platform()} ${os.release()}` },
        config: { ...flags, database: new URL(DATABASE_URL).pathname.slice(1), bodyCandidates: BODY_CANDIDATES },
        dataset: { articles: data.published.length, drafts: data.drafts.size, languages: data.languages, words: data.words },
        engines: reports,
        checks,
        durationS: round((performance.now() - t0Run) / 1000, 1),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nresults: ${path.relative(ROOT, out)}`);
  if (flags.strict && checks.some((c) => !c.ok)) process.exitCode = 1;
  if (checks[1]!.ok === false || checks[2]!.ok === false) process.exitCode = 1;
}

// The run is bounded: a watchdog ends it whatever happens.
const watchdog = setTimeout(() => {
  log(`timed out after ${flags.timeout}s`);
  process.exit(2);
}, flags.timeout * 1000);
watchdog.unref();

main()
  .then(() => {
    clearTimeout(watchdog);
    process.exit(process.exitCode ?? 0);
  })
  .catch((err: unknown) => {
    console.error(`[bench] failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  });
