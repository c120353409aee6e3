import { env } from "~/env";
import { db } from "~/server/db/client";
import { searchArticles, searchInput } from "~/server/modules/kb/search-articles";
import { createSearchEngine } from "~/server/modules/kb/search/create-engine";
import type { SearchEngine } from "~/server/modules/kb/search/engine";

// The same engine the tRPC API and the index worker use (see create-server.ts, workers/index.ts),
// one per process.
const g = globalThis as unknown as { __ventanillaKbSearch?: SearchEngine };
const engine = () => (g.__ventanillaKbSearch ??= createSearchEngine({ db, meiliUrl: env.MEILI_URL, meiliKey: env.MEILI_MASTER_KEY }));

/** The public search page's query: published articles of a language, through kb.search's own input rules. */
export function searchPublishedArticles(query: { q: string; language: "es" | "en"; limit: number }) {
  return searchArticles(engine(), searchInput.parse(query));
}
