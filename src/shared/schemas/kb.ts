import { z } from "zod";
import { ARTICLE_STATES } from "~/shared/enums";

// Article.language is a plain column (String), so it is a string here; the search index speaks "es" | "en".
const searchLanguage = z.enum(["es", "en"]);

export const kbCategory = z.object({ id: z.string(), slug: z.string(), nameEs: z.string(), nameEn: z.string() });
export const kbCategories = z.array(kbCategory);
export type KbCategory = z.infer<typeof kbCategory>;

/** kb.home: categories with their count of published articles, and the most viewed articles. */
export const kbHome = z.object({
  categories: z.array(kbCategory.extend({ _count: z.object({ articles: z.number() }) })),
  popular: z.array(z.object({ id: z.string(), slug: z.string(), language: z.string(), title: z.string(), tags: z.array(z.string()), views: z.number() })),
});
export type KbHome = z.infer<typeof kbHome>;

/** kb.category: null when there is no such category. */
export const kbCategoryPage = z
  .object({
    category: kbCategory,
    articles: z.array(z.object({ id: z.string(), slug: z.string(), language: z.string(), title: z.string(), tags: z.array(z.string()), updatedAt: z.date() })),
  })
  .nullable();
export type KbCategoryPage = z.infer<typeof kbCategoryPage>;

/** kb.article: a published article, rendered and sanitized (never its Markdown). */
export const publishedArticle = z.object({
  id: z.string(),
  slug: z.string(),
  language: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  updatedAt: z.date(),
  category: kbCategory.nullable(),
  html: z.string(),
  translations: z.array(z.object({ language: z.string(), slug: z.string(), title: z.string() })),
});
export type PublishedArticle = z.infer<typeof publishedArticle>;

/** kb.search and kb.suggest. */
export const searchHit = z.object({
  articleId: z.string(),
  slug: z.string(),
  language: searchLanguage,
  title: z.string(),
  /** HTML-escaped text with the matched words wrapped in <mark>. */
  snippet: z.string(),
  categoryId: z.string().nullable(),
  tags: z.array(z.string()),
});
export const searchHits = z.array(searchHit);
export type SearchHit = z.infer<typeof searchHit>;

/** kb.stats: every article with its votes; `reasons` counts each reason given for a "No". */
export const articleStats = z.array(
  z.object({
    id: z.string(),
    title: z.string(),
    slug: z.string(),
    language: z.string(),
    state: z.enum(ARTICLE_STATES),
    views: z.number(),
    updatedAt: z.date(),
    yes: z.number(),
    no: z.number(),
    helpfulRate: z.number().nullable(),
    reasons: z.record(z.string(), z.number()),
  }),
);
export type ArticleStatsRow = z.infer<typeof articleStats>[number];

/** kb.forEditing: the whole article with its last versions. */
export const articleForEditing = z.object({
  id: z.string(),
  slug: z.string(),
  language: z.string(),
  translationKey: z.string(),
  title: z.string(),
  bodyMarkdown: z.string(),
  tags: z.array(z.string()),
  categoryId: z.string().nullable(),
  state: z.enum(ARTICLE_STATES),
  authorId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  publishedAt: z.date().nullable(),
  views: z.number(),
  versions: z.array(
    z.object({ id: z.string(), title: z.string(), createdAt: z.date(), editor: z.object({ name: z.string().nullable(), email: z.string() }).nullable() }),
  ),
});
export type ArticleForEditing = z.infer<typeof articleForEditing>;

/** kb.create and kb.update. */
export const savedArticle = z.object({ id: z.string(), slug: z.string(), language: z.string() });

export const articlePreview = z.object({ html: z.string() });

/** kb.synonyms: a language's groups of equivalent terms. */
export const synonymGroups = z.array(z.array(z.string()));
