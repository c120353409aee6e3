import type { Db } from "~/server/db/client";
import type { SearchEngine } from "~/server/modules/kb/search/engine";
import { meiliSearchEngine } from "./meilisearch/meili-engine";
import { pgSearchEngine } from "~/server/modules/kb/search/pg-engine";

export interface SearchEngineConfig {
  db: Db;
  /** MEILI_URL: when set, Meilisearch serves search; otherwise PostgreSQL does (the embedded default). */
  meiliUrl?: string;
  meiliKey?: string;
  meiliIndexPrefix?: string;
}

export function createSearchEngine(config: SearchEngineConfig): SearchEngine {
  if (config.meiliUrl) return meiliSearchEngine({ url: config.meiliUrl, apiKey: config.meiliKey, indexPrefix: config.meiliIndexPrefix });
  return pgSearchEngine(config.db);
}
