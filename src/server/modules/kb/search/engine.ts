/**
 * One search contract, two engines: PostgreSQL full-text search (embedded default) and
 * Meilisearch (when MEILI_URL is set). Both index only published articles.
 */
export interface SearchDocument {
  articleId: string;
  slug: string;
  language: "es" | "en";
  title: string;
  tags: string[];
  /** The article's text without Markdown syntax. */
  plainBody: string;
  categoryId: string | null;
}

export interface SearchQuery {
  q: string;
  language?: "es" | "en";
  categoryId?: string;
  tag?: string;
  limit?: number;
}

export interface SearchHit {
  articleId: string;
  slug: string;
  language: "es" | "en";
  title: string;
  /** HTML-escaped text with the matched words wrapped in <mark>. */
  snippet: string;
  categoryId: string | null;
  tags: string[];
}

export interface SearchEngine {
  readonly name: "postgres" | "meilisearch";
  /** Adds or replaces one document. Idempotent. */
  upsert(doc: SearchDocument): Promise<void>;
  /** Removes a document (unpublished or deleted article). Idempotent. */
  remove(articleId: string): Promise<void>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  /** Synonym groups per language, e.g. [["impresora", "printer"]]. */
  setSynonyms(language: "es" | "en", groups: string[][]): Promise<void>;
  /** Empties the index (before a full reindex). */
  clear(): Promise<void>;
}
