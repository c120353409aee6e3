import type { Db } from "~/server/db/client";
import { Prisma } from "~/server/generated/prisma/client";
import type { SearchDocument, SearchEngine, SearchHit, SearchQuery } from "./engine";
import { MARK_END, MARK_START, clampLimit, markedSnippet, normalizeSynonymGroups, queryWords, stripMarkers } from "./text";

/**
 * The embedded engine: PostgreSQL full-text search over "KbSearchDocument".
 *
 *  - document = title (A) ‖ tags (B) ‖ body (C), each `to_tsvector(cfg, …)` with the article's
 *    language configuration, vt_spanish or vt_english: PostgreSQL's spanish / english with unaccent
 *    before every dictionary, so accents never matter (why not `vt_unaccent(text)` first: see the
 *    migration 20261124000000_kb_search_engine; it loses every «word» in guillemets).
 *  - head = title (A) ‖ tags (B) alone: small, stored inline, with its own GIN index.
 *  - Typos: "KbSearchTerm" holds each language's words, unaccented (kept by trigger, see the
 *    migration 20261124000000_kb_search_engine). A query word that is not there is searched as
 *    itself OR its nearest trigram neighbour (similarity ≥ 0.3, the `%` default, via the trigram
 *    index). A word no document holds in any form (no hit, no neighbour, no known synonym) is left
 *    out of the words that must all match: requiring it could only find nothing.
 *  - Synonyms ("SearchSynonym"): a query word is searched as itself OR every term of its groups.
 *  - Words are ANDed; when that finds nothing, the query is run again with the words ORed.
 *
 * Ranking comes in two tiers. First the documents whose title or tags hold a query word, ranked
 * by ts_rank over `head` (title 1.0 > tags 0.4; a title match breaks ties; on a few words, cover
 * density adds nothing and ts_rank_cd costs ~4 µs more a row, which over the ~500 rows a common
 * word's head tier holds is a few milliseconds). Then those that match in the body only, ranked
 * by ts_rank_cd over the whole document (body 0.2), where proximity matters. So a title or
 * tag match always ranks above a body-only match, and when the first tier fills the page the
 * second never runs (UNION ALL under LIMIT stops early). The second tier ranks at most
 * BODY_CANDIDATES rows, as ranking reads each document.
 *
 * Snippets: ts_headline over a whole article costs ~0.6 ms, most of a query's budget for a page
 * of ten. It runs only for the page's rows, and over a 600-character window of the body around
 * the first place a query word (folded like the index) appears.
 */
export const CONFIGS = { es: "vt_spanish", en: "vt_english" } as const;
type Lang = keyof typeof CONFIGS;

/** ts_rank_cd weights, in its {D, C, B, A} order: body (C) 0.2, tags (B) 0.4, title (A) 1.0. */
const WEIGHTS = Prisma.raw(`'{0, 0.2, 0.4, 1.0}'::float4[]`);
/** Body-only matches ranked per query (beyond it, matching rows are taken in index order). */
export const BODY_CANDIDATES = 400;
const HEADLINE_OPTIONS = `StartSel="${MARK_START}", StopSel="${MARK_END}", MaxFragments=1, MaxWords=30, MinWords=10`;
/** The body window ts_headline reads: from WINDOW_BEFORE characters before the first match. */
const WINDOW_CHARS = 600;
const WINDOW_BEFORE = 200;
/** Shorter lexemes are not corrected: trigram similarity means little on them. */
const MIN_CORRECTABLE = 4;

interface LangQuery {
  lang: Lang;
  /** Every word must match (each through one of its alternatives). */
  all: string;
  /** Any alternative of any word: the head tier's test, the fallback, and what ts_headline marks. */
  any: string;
}

interface Analysis {
  queries: LangQuery[];
  /** Folded words and lexemes to look for in the body, to place the snippet's window. */
  needles: string[];
}

interface Row {
  articleId: string;
  slug: string;
  language: string;
  title: string;
  tags: string[];
  categoryId: string | null;
  snippet: string;
}

const group = (parts: string[], op: " & " | " | ") => parts.map((p) => `(${p})`).join(op);

export function pgSearchEngine(db: Db): SearchEngine {
  /**
   * One round trip: per language and word, its tsquery, its correction when the vocabulary does
   * not know its lexeme, its synonyms. The tsqueries come back as PostgreSQL's own text form and
   * are only combined with & and | here, then passed back as parameters.
   */
  async function analyse(words: string[], langs: Lang[]): Promise<Analysis> {
    const rows = await db.$queryRaw<Array<{ lang: Lang; ord: bigint; alternatives: string[]; needles: string[]; known: boolean }>>`
      SELECT l.lang, w.ord,
             (exact.hit OR fix.term IS NOT NULL OR coalesce(syn.known, false)) AS known,
             array_remove(array_remove(ARRAY[plainto_tsquery(l.cfg, w.word)::text, plainto_tsquery(l.cfg, fix.term)::text]
               || coalesce(syn.queries, '{}'), ''), NULL) AS alternatives,
             array_remove(x.lexemes || w.folded || fix.term || coalesce(syn.folded, '{}'), NULL) AS needles
      FROM unnest(${langs}::text[], ${langs.map((l) => CONFIGS[l])}::text[]) AS l0(lang, cfgname)
      CROSS JOIN LATERAL (SELECT l0.lang, l0.cfgname::regconfig AS cfg) l
      CROSS JOIN LATERAL (SELECT word, ord, lower(vt_unaccent(word)) AS folded FROM unnest(${words}::text[]) WITH ORDINALITY AS u(word, ord)) w
      CROSS JOIN LATERAL (SELECT tsvector_to_array(to_tsvector(l.cfg, w.word)) AS lexemes) x
      CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM "KbSearchTerm" k WHERE k.language = l.lang AND k.term = w.folded) AS hit) exact
      LEFT JOIN LATERAL (
        SELECT t.term FROM "KbSearchTerm" t
        WHERE NOT exact.hit AND cardinality(x.lexemes) = 1 AND length(w.folded) >= ${MIN_CORRECTABLE}
          AND t.term % w.folded AND t.language = l.lang
        ORDER BY similarity(t.term, w.folded) DESC, t.documents DESC, t.term
        LIMIT 1
      ) fix ON true
      LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT plainto_tsquery(l.cfg, s.term)::text) AS queries,
               array_agg(DISTINCT f.folded) AS folded,
               bool_or(EXISTS (SELECT 1 FROM "KbSearchTerm" k WHERE k.language = l.lang AND k.term = f.folded)) AS known
        FROM "SearchSynonym" g CROSS JOIN unnest(g.terms) AS s(term)
        CROSS JOIN LATERAL (SELECT lower(vt_unaccent(s.term)) AS folded) f
        WHERE g.language = l.lang AND cardinality(x.lexemes) > 0
          AND EXISTS (SELECT 1 FROM unnest(g.terms) m WHERE tsvector_to_array(to_tsvector(l.cfg, m)) = x.lexemes)
      ) syn ON true`;
    const queries: LangQuery[] = [];
    const needles = new Set<string>();
    for (const lang of langs) {
      // Stop words ("la", "the") have no alternatives and drop out; so do, from the words that
      // must all match, those no document holds in any form (no vocabulary hit, no correction):
      // requiring them could only find nothing.
      const analysed = rows.filter((r) => r.lang === lang && r.alternatives.length).sort((a, b) => Number(a.ord - b.ord));
      const known = analysed.filter((r) => r.known);
      if (!known.length) continue;
      const alts = (r: (typeof rows)[number]) => [...new Set(r.alternatives)];
      queries.push({ lang, all: group(known.map((r) => group(alts(r), " | ")), " & "), any: group(known.flatMap(alts), " | ") });
    }
    for (const r of rows) if (r.alternatives.length) for (const n of r.needles) if (n.length >= 2) needles.add(n);
    return { queries, needles: [...needles] };
  }

  function run({ queries, needles }: Analysis, mode: "all" | "any", query: SearchQuery, limit: number) {
    const filters: Prisma.Sql[] = [];
    if (query.categoryId) filters.push(Prisma.sql`AND d."categoryId" = ${query.categoryId}`);
    if (query.tag) filters.push(Prisma.sql`AND d.tags @> ARRAY[${query.tag.trim().toLowerCase()}]::text[]`);
    const filter = filters.length ? Prisma.join(filters, " ") : Prisma.empty;
    const must = (q: LangQuery) => (mode === "all" ? q.all : q.any);
    // Per row, the query of the row's language (a plain parameter when only one language is searched).
    const pick = (f: (q: LangQuery) => string) =>
      queries.length === 1
        ? Prisma.sql`${f(queries[0]!)}::tsquery`
        : Prisma.sql`(CASE d.language ${Prisma.join(queries.map((q) => Prisma.sql`WHEN ${q.lang} THEN ${f(q)}`), " ")} END)::tsquery`;
    const cfg =
      queries.length === 1
        ? Prisma.sql`${CONFIGS[queries[0]!.lang]}::regconfig`
        : Prisma.sql`(CASE d.language ${Prisma.join(queries.map((q) => Prisma.sql`WHEN ${q.lang} THEN ${CONFIGS[q.lang]}`), " ")} END)::regconfig`;
    const head = Prisma.join(
      queries.map((q) => Prisma.sql`(d.language = ${q.lang} AND d.head @@ ${q.any}::tsquery AND d.document @@ ${must(q)}::tsquery)`),
      " OR ",
    );
    const bodyOnly = Prisma.join(
      queries.map((q) => Prisma.sql`(d.language = ${q.lang} AND d.document @@ ${must(q)}::tsquery AND NOT d.head @@ ${q.any}::tsquery)`),
      " OR ",
    );
    return db.$queryRaw<Row[]>`
      SELECT d."articleId", d.slug, d.language, d.title, d.tags, d."categoryId",
             ts_headline(${cfg}, win.excerpt, ${pick((q) => q.any)}, ${HEADLINE_OPTIONS}) AS snippet
      FROM (
        SELECT * FROM (
          (SELECT d."articleId", 0 AS tier, ts_rank(${WEIGHTS}, d.head, ${pick((q) => q.any)}) AS score,
                  ts_filter(d.head, '{a}') @@ ${pick((q) => q.any)} AS in_title
           FROM "KbSearchDocument" d
           WHERE (${head}) ${filter}
           ORDER BY score DESC, in_title DESC, d."articleId"
           LIMIT ${limit})
          UNION ALL
          (SELECT c."articleId", 1 AS tier, ts_rank_cd(${WEIGHTS}, c.document, c.q, 1) AS score, false AS in_title
           FROM (SELECT d."articleId", d.document, ${pick(must)} AS q
                 FROM "KbSearchDocument" d
                 WHERE (${bodyOnly}) ${filter}
                 LIMIT ${BODY_CANDIDATES}) c
           ORDER BY score DESC, c."articleId"
           LIMIT ${limit})
        ) tiers
        LIMIT ${limit}
      ) top
      JOIN "KbSearchDocument" d ON d."articleId" = top."articleId"
      CROSS JOIN LATERAL (
        SELECT coalesce(min(p) FILTER (WHERE p > 0), 1) AS at
        FROM (SELECT ' ' || lower(vt_unaccent(d."plainBody")) AS folded OFFSET 0) f
        CROSS JOIN LATERAL unnest(${needles}::text[]) AS n
        CROSS JOIN LATERAL strpos(f.folded, ' ' || n) AS p
      ) m
      CROSS JOIN LATERAL (SELECT greatest(1, m.at - ${WINDOW_BEFORE}) AS start) s
      CROSS JOIN LATERAL (
        SELECT CASE WHEN s.start + ${WINDOW_CHARS} > length(d."plainBody") THEN cut ELSE regexp_replace(cut, '\\s+\\S*$', '') END AS excerpt
        FROM (SELECT CASE WHEN s.start = 1 THEN substr(d."plainBody", 1, ${WINDOW_CHARS})
                          ELSE regexp_replace(substr(d."plainBody", s.start, ${WINDOW_CHARS}), '^\\S*\\s+', '') END AS cut) c
      ) win
      ORDER BY top.tier, top.score DESC, top.in_title DESC, top."articleId"`;
  }

  return {
    name: "postgres",

    async upsert(doc: SearchDocument) {
      const cfg = CONFIGS[doc.language];
      const body = stripMarkers(doc.plainBody);
      const title = stripMarkers(doc.title);
      const tags = doc.tags.map(stripMarkers);
      await db.$executeRaw`
        WITH v AS (
          SELECT setweight(to_tsvector(${cfg}::regconfig, ${title}), 'A') AS t,
                 setweight(to_tsvector(${cfg}::regconfig, ${tags.join(", ")}), 'B') AS g,
                 setweight(to_tsvector(${cfg}::regconfig, ${body}), 'C') AS b
        )
        INSERT INTO "KbSearchDocument" ("articleId", language, "categoryId", tags, title, slug, "plainBody", document, head, "indexedAt")
        SELECT ${doc.articleId}, ${doc.language}, ${doc.categoryId}, ${tags}::text[], ${title}, ${doc.slug}, ${body}, t || g || b, t || g, CURRENT_TIMESTAMP
        FROM v
        ON CONFLICT ("articleId") DO UPDATE SET
          language = EXCLUDED.language, "categoryId" = EXCLUDED."categoryId", tags = EXCLUDED.tags, title = EXCLUDED.title,
          slug = EXCLUDED.slug, "plainBody" = EXCLUDED."plainBody", document = EXCLUDED.document, head = EXCLUDED.head,
          "indexedAt" = EXCLUDED."indexedAt"`;
    },

    async remove(articleId: string) {
      await db.$executeRaw`DELETE FROM "KbSearchDocument" WHERE "articleId" = ${articleId}`;
    },

    async search(query: SearchQuery): Promise<SearchHit[]> {
      const words = queryWords(query.q);
      if (!words.length) return [];
      const langs: Lang[] = query.language ? [query.language] : ["es", "en"];
      const limit = clampLimit(query.limit);
      const analysis = await analyse(words, langs);
      if (!analysis.queries.length) return [];
      let rows = await run(analysis, "all", query, limit);
      if (!rows.length && analysis.queries.some((q) => q.all !== q.any)) rows = await run(analysis, "any", query, limit);
      return rows.map((r) => ({
        articleId: r.articleId,
        slug: r.slug,
        language: r.language === "en" ? "en" : "es",
        title: r.title,
        snippet: markedSnippet(r.snippet),
        categoryId: r.categoryId,
        tags: r.tags,
      }));
    },

    /** PostgreSQL keeps its synonyms in "SearchSynonym", read by every search. */
    async setSynonyms(language, groups) {
      const clean = normalizeSynonymGroups(groups);
      await db.$transaction([
        db.searchSynonym.deleteMany({ where: { language } }),
        db.searchSynonym.createMany({ data: clean.map((terms) => ({ language, terms })) }),
      ]);
    },

    async clear() {
      await db.$executeRaw`TRUNCATE "KbSearchDocument", "KbSearchTerm"`;
    },
  };
}
