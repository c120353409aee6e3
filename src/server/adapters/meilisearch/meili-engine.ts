import { Meilisearch, type Index, type MultiSearchQueryWithFederation, type Settings, type Task } from "meilisearch";
import type { SearchDocument, SearchEngine, SearchHit, SearchQuery } from "~/server/modules/kb/search/engine";
import { SPANISH_STOP_WORDS } from "~/server/modules/kb/search/stopwords-es";
import { MARK_END, MARK_START, clampLimit, markedSnippet, normalizeSynonymGroups, stripMarkers } from "~/server/modules/kb/search/text";

/**
 * The Meilisearch engine (when MEILI_URL is set). One index per language, `<prefix>_es` and
 * `<prefix>_en`, so each has its own synonyms and only Spanish gets Spanish stop words; a search
 * without a language is a federated multi-search over both. Searchable attributes in rank order
 * title > tags > plainBody (Meilisearch's "attribute" ranking rule), typo tolerance on, filters on
 * language, category, tags and state. Every write waits for its task, so a document is searchable
 * (or gone) when upsert/remove resolve.
 */
export interface MeiliEngineOptions {
  url: string;
  apiKey?: string;
  /** Index uid prefix (tests and the benchmark use their own). */
  indexPrefix?: string;
  /** How long a write may wait for its task. */
  taskTimeoutMs?: number;
}

type Lang = "es" | "en";
const LANGS: Lang[] = ["es", "en"];

interface MeiliDoc {
  articleId: string;
  slug: string;
  language: Lang;
  title: string;
  tags: string[];
  plainBody: string;
  categoryId: string | null;
  /** Only published articles are indexed; the filter on it is a second lock on the door. */
  state: "published";
}

const SNIPPET_WORDS = 30;

function settingsFor(lang: Lang, synonyms: Record<string, string[]>): Settings {
  return {
    searchableAttributes: ["title", "tags", "plainBody"],
    filterableAttributes: ["language", "categoryId", "tags", "state"],
    displayedAttributes: ["articleId", "slug", "language", "title", "tags", "plainBody", "categoryId"],
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
    stopWords: lang === "es" ? [...SPANISH_STOP_WORDS] : [],
    synonyms,
  };
}

/** Meilisearch synonyms are one-way lists; a group means every term maps to all the others. */
export function synonymMap(groups: string[][]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of groups) {
    for (const term of group) map[term] = [...new Set([...(map[term] ?? []), ...group.filter((t) => t !== term)])];
  }
  return map;
}

/** A filter value as a Meilisearch string literal. */
const literal = (v: string) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

async function settled(task: Promise<Task>, allow: string[] = []): Promise<Task> {
  const t = await task;
  if (t.status !== "succeeded" && !(t.error && allow.includes(t.error.code))) {
    throw new Error(`Meilisearch task ${t.uid} (${t.type}) ${t.status}: ${t.error?.message ?? "no error message"}`);
  }
  return t;
}

export function meiliSearchEngine(opts: MeiliEngineOptions): SearchEngine {
  const client = new Meilisearch({
    host: opts.url,
    apiKey: opts.apiKey,
    timeout: 10_000,
    defaultWaitOptions: { timeout: opts.taskTimeoutMs ?? 30_000, interval: 10 },
  });
  const prefix = opts.indexPrefix ?? "kb_articles";
  const uid = (lang: Lang) => `${prefix}_${lang}`;
  const index = (lang: Lang): Index<MeiliDoc> => client.index<MeiliDoc>(uid(lang));

  let ready: Promise<void> | null = null;
  /** Creates both indexes (once per process) and applies the settings, keeping the synonyms they have. */
  function ensureIndexes(): Promise<void> {
    ready ??= (async () => {
      for (const lang of LANGS) {
        await settled(client.createIndex(uid(lang), { primaryKey: "articleId" }).waitTask(), ["index_already_exists"]);
        const current = await index(lang).getSynonyms();
        await settled(index(lang).updateSettings(settingsFor(lang, current ?? {})).waitTask());
      }
    })().catch((err: unknown) => {
      ready = null;
      throw err;
    });
    return ready;
  }

  return {
    name: "meilisearch",

    async upsert(doc: SearchDocument) {
      await ensureIndexes();
      const row: MeiliDoc = {
        articleId: doc.articleId,
        slug: doc.slug,
        language: doc.language,
        title: stripMarkers(doc.title),
        tags: doc.tags.map(stripMarkers),
        plainBody: stripMarkers(doc.plainBody),
        categoryId: doc.categoryId,
        state: "published",
      };
      await settled(index(doc.language).addDocuments([row], { primaryKey: "articleId" }).waitTask());
      // An article lives in one language's index only.
      const other: Lang = doc.language === "es" ? "en" : "es";
      await settled(index(other).deleteDocument(doc.articleId).waitTask());
    },

    async remove(articleId: string) {
      await ensureIndexes();
      for (const lang of LANGS) await settled(index(lang).deleteDocument(articleId).waitTask());
    },

    async search(query: SearchQuery): Promise<SearchHit[]> {
      const q = query.q.trim();
      if (!q) return [];
      await ensureIndexes();
      const limit = clampLimit(query.limit);
      const filter = ["state = published"];
      if (query.categoryId) filter.push(`categoryId = ${literal(query.categoryId)}`);
      if (query.tag) filter.push(`tags = ${literal(query.tag.trim().toLowerCase())}`);
      const params = {
        q,
        filter: filter.join(" AND "),
        // _formatted only holds retrieved attributes, so the body comes too (and is dropped here).
        attributesToRetrieve: ["articleId", "slug", "language", "title", "tags", "categoryId", "plainBody"],
        attributesToHighlight: ["plainBody"],
        attributesToCrop: ["plainBody"],
        cropLength: SNIPPET_WORDS,
        cropMarker: "…",
        highlightPreTag: MARK_START,
        highlightPostTag: MARK_END,
      };
      const langs = query.language ? [query.language] : LANGS;
      const queries: MultiSearchQueryWithFederation[] = langs.map((lang) => ({ indexUid: uid(lang), ...params }));
      const res = await client.multiSearch<{ federation: { limit: number }; queries: MultiSearchQueryWithFederation[] }, MeiliDoc>({
        federation: { limit },
        queries,
      });
      return res.hits.slice(0, limit).map((h) => ({
        articleId: h.articleId,
        slug: h.slug,
        language: h.language === "en" ? "en" : "es",
        title: h.title,
        snippet: markedSnippet(String(h._formatted?.plainBody ?? "")),
        categoryId: h.categoryId ?? null,
        tags: h.tags ?? [],
      }));
    },

    async setSynonyms(language, groups) {
      await ensureIndexes();
      await settled(index(language).updateSynonyms(synonymMap(normalizeSynonymGroups(groups))).waitTask());
    },

    async clear() {
      await ensureIndexes();
      for (const lang of LANGS) await settled(index(lang).deleteAllDocuments().waitTask());
    },
  };
}

/** Whether a Meilisearch server answers at `url` (the contract tests and the benchmark skip it otherwise). */
export async function meiliReachable(url: string | undefined, timeoutMs = 1500): Promise<boolean> {
  if (!url) return false;
  try {
    const res = await fetch(new URL("/health", url), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}
