import type { Prisma } from "~/server/generated/prisma/client";
import type { Deps } from "../deps";
import type { KbLanguage } from "./articles";

/** Spanish is the knowledge base's own language: every article is written in it first. */
export const KB_SOURCE_LANGUAGE: KbLanguage = "es";

/**
 * The published articles a reader of `language` is shown in lists: those written in it, plus the
 * Spanish ones with no published translation into it (a reader of English sees the Spanish
 * article rather than nothing). Each listed row carries its own `language`, so links name it.
 */
export async function publishedFor(deps: Pick<Deps, "db">, language: KbLanguage): Promise<Prisma.ArticleWhereInput> {
  if (language === KB_SOURCE_LANGUAGE) return { state: "PUBLISHED", language };
  const translated = await deps.db.article.findMany({ where: { state: "PUBLISHED", language }, select: { translationKey: true } });
  return {
    state: "PUBLISHED",
    OR: [{ language }, { language: KB_SOURCE_LANGUAGE, translationKey: { notIn: translated.map((a) => a.translationKey) } }],
  };
}
