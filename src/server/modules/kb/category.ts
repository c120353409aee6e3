import type { Deps } from "../deps";
import type { KbLanguage } from "./articles";

/** A public category page: the category and its published articles in a language, most viewed first. */
export async function categoryWithArticles(deps: Pick<Deps, "db">, language: KbLanguage, slug: string) {
  const category = await deps.db.kbCategory.findUnique({ where: { slug }, select: { id: true, slug: true, nameEs: true, nameEn: true } });
  if (!category) return null;
  const articles = await deps.db.article.findMany({
    where: { categoryId: category.id, state: "PUBLISHED", language },
    orderBy: [{ views: "desc" }, { title: "asc" }],
    take: 200,
    select: { id: true, slug: true, title: true, tags: true, updatedAt: true },
  });
  return { category, articles };
}
