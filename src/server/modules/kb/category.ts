import type { Deps } from "../deps";
import type { KbLanguage } from "./articles";
import { publishedFor } from "./visible";

/** A public category page: the category and its published articles in a language (Spanish where untranslated), most viewed first. */
export async function categoryWithArticles(deps: Pick<Deps, "db">, language: KbLanguage, slug: string) {
  const category = await deps.db.kbCategory.findUnique({ where: { slug }, select: { id: true, slug: true, nameEs: true, nameEn: true } });
  if (!category) return null;
  const articles = await deps.db.article.findMany({
    where: { AND: [{ categoryId: category.id }, await publishedFor(deps, language)] },
    orderBy: [{ views: "desc" }, { title: "asc" }],
    take: 200,
    select: { id: true, slug: true, language: true, title: true, tags: true, updatedAt: true },
  });
  return { category, articles };
}
