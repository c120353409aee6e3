import type { Deps } from "../deps";
import { markdownToPlain } from "./markdown";
import type { SearchDocument } from "./search/engine";

/** The article fields the index is built from. */
export const INDEXED_FIELDS = { id: true, slug: true, language: true, title: true, tags: true, bodyMarkdown: true, categoryId: true, state: true } as const;

export function searchDocumentOf(article: { id: string; slug: string; language: string; title: string; tags: string[]; bodyMarkdown: string; categoryId: string | null }): SearchDocument {
  return {
    articleId: article.id,
    slug: article.slug,
    language: article.language === "en" ? "en" : "es",
    title: article.title,
    tags: article.tags,
    plainBody: markdownToPlain(article.bodyMarkdown),
    categoryId: article.categoryId,
  };
}

/**
 * Brings the search index in line with the article as it is now: published → indexed, anything
 * else (draft, deleted) → removed. Reads current state, so running it twice or late is harmless.
 */
export async function indexArticle(deps: Pick<Deps, "db" | "search">, articleId: string): Promise<"indexed" | "removed"> {
  const article = await deps.db.article.findUnique({ where: { id: articleId }, select: INDEXED_FIELDS });
  if (!article || article.state !== "PUBLISHED") {
    await deps.search.remove(articleId);
    return "removed";
  }
  await deps.search.upsert(searchDocumentOf(article));
  return "indexed";
}
