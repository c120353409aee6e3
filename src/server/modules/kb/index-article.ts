import type { Deps } from "../deps";
import { markdownToPlain } from "./markdown";
import type { SearchEngine } from "./search/engine";

/**
 * Brings the search index in line with the article as it is now: published → indexed, anything
 * else (draft, deleted) → removed. Reads current state, so running it twice or late is harmless.
 */
export async function indexArticle(deps: Pick<Deps, "db">, engine: SearchEngine, articleId: string): Promise<"indexed" | "removed"> {
  const article = await deps.db.article.findUnique({
    where: { id: articleId },
    select: { id: true, slug: true, language: true, title: true, tags: true, bodyMarkdown: true, categoryId: true, state: true },
  });
  if (!article || article.state !== "PUBLISHED") {
    await engine.remove(articleId);
    return "removed";
  }
  await engine.upsert({
    articleId: article.id,
    slug: article.slug,
    language: article.language === "en" ? "en" : "es",
    title: article.title,
    tags: article.tags,
    plainBody: markdownToPlain(article.bodyMarkdown),
    categoryId: article.categoryId,
  });
  return "indexed";
}
