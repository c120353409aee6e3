import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isUniqueViolation } from "~/server/db/errors";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { renderMarkdown } from "./markdown";
import { slugify } from "./slug";
import { publishedFor } from "./visible";

export const KB_LANGUAGES = ["es", "en"] as const;
export type KbLanguage = (typeof KB_LANGUAGES)[number];

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40);

export const articleInput = z.strictObject({
  title: z.string().trim().min(1, "TITLE_REQUIRED").max(200, "TITLE_TOO_LONG"),
  bodyMarkdown: z.string().trim().min(1, "BODY_REQUIRED").max(200_000, "BODY_TOO_LONG"),
  tags: z.array(tag).max(20).default([]),
  categoryId: z.string().min(1).max(64).nullish(),
  language: z.enum(KB_LANGUAGES).default("es"),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "SLUG_INVALID")
    .max(80)
    .optional(),
  /** The article this one translates: both then share a translation key. */
  translationOf: z.string().min(1).max(64).optional(),
});
export type ArticleInput = z.input<typeof articleInput>;

function requireStaff(actor: Actor) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
}

async function announce(deps: Deps, articleId: string) {
  await deps.bus.publish({ type: "article.changed", articleId });
}

async function checkCategory(deps: Deps, categoryId: string | null | undefined) {
  if (categoryId && !(await deps.db.kbCategory.findUnique({ where: { id: categoryId }, select: { id: true } }))) {
    throw new AppError("CATEGORY_NOT_FOUND");
  }
}

/** A new draft, with its first version. */
export async function createArticle(deps: Deps, actor: Actor, raw: ArticleInput) {
  requireStaff(actor);
  const input = articleInput.parse(raw);
  await checkCategory(deps, input.categoryId);
  let translationKey: string = randomUUID();
  if (input.translationOf) {
    const original = await deps.db.article.findUnique({ where: { id: input.translationOf }, select: { translationKey: true } });
    if (!original) throw new AppError("ARTICLE_NOT_FOUND");
    translationKey = original.translationKey;
  }
  const now = deps.clock.now();
  try {
    const article = await deps.db.article.create({
      data: {
        slug: input.slug ?? slugify(input.title),
        language: input.language,
        translationKey,
        title: input.title,
        bodyMarkdown: input.bodyMarkdown,
        tags: [...new Set(input.tags)],
        categoryId: input.categoryId ?? null,
        authorId: actor.id,
        createdAt: now,
        versions: { create: { title: input.title, bodyMarkdown: input.bodyMarkdown, tags: [...new Set(input.tags)], editorId: actor.id, createdAt: now } },
      },
      select: { id: true, slug: true, language: true },
    });
    await announce(deps, article.id);
    return article;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(input.translationOf ? "TRANSLATION_EXISTS" : "SLUG_TAKEN");
    throw err;
  }
}

export const updateArticleInput = articleInput.omit({ translationOf: true, language: true }).extend({ id: z.string().min(1).max(64) });

/** Every save is a new version; the history keeps who changed what and when. */
export async function updateArticle(deps: Deps, actor: Actor, raw: z.input<typeof updateArticleInput>) {
  requireStaff(actor);
  const input = updateArticleInput.parse(raw);
  await checkCategory(deps, input.categoryId);
  const now = deps.clock.now();
  const tags = [...new Set(input.tags)];
  try {
    const article = await deps.db.article.update({
      where: { id: input.id },
      data: {
        title: input.title,
        bodyMarkdown: input.bodyMarkdown,
        tags,
        categoryId: input.categoryId ?? null,
        ...(input.slug ? { slug: input.slug } : {}),
        updatedAt: now,
        versions: { create: { title: input.title, bodyMarkdown: input.bodyMarkdown, tags, editorId: actor.id, createdAt: now } },
      },
      select: { id: true, slug: true, language: true },
    });
    await announce(deps, article.id);
    return article;
  } catch (err) {
    if ((err as { code?: string }).code === "P2025") throw new AppError("ARTICLE_NOT_FOUND");
    if (isUniqueViolation(err)) throw new AppError("SLUG_TAKEN");
    throw err;
  }
}

export async function setArticlePublished(deps: Deps, actor: Actor, id: string, published: boolean) {
  requireStaff(actor);
  const now = deps.clock.now();
  const { count } = await deps.db.article.updateMany({
    where: { id },
    data: published ? { state: "PUBLISHED", publishedAt: now, updatedAt: now } : { state: "DRAFT", updatedAt: now },
  });
  if (!count) throw new AppError("ARTICLE_NOT_FOUND");
  await announce(deps, id);
  return { published };
}

export async function deleteArticle(deps: Deps, actor: Actor, id: string) {
  requireStaff(actor);
  const { count } = await deps.db.article.deleteMany({ where: { id } });
  if (!count) throw new AppError("ARTICLE_NOT_FOUND");
  await announce(deps, id);
}

/** The public article page: published only, rendered and sanitized, with its translations. */
export async function getPublishedArticle(deps: Pick<Deps, "db">, language: KbLanguage, slug: string) {
  const article = await deps.db.article.findFirst({
    where: { language, slug, state: "PUBLISHED" },
    select: {
      id: true,
      slug: true,
      language: true,
      title: true,
      bodyMarkdown: true,
      tags: true,
      translationKey: true,
      updatedAt: true,
      category: { select: { id: true, slug: true, nameEs: true, nameEn: true } },
    },
  });
  if (!article) throw new AppError("ARTICLE_NOT_FOUND");
  const translations = await deps.db.article.findMany({
    where: { translationKey: article.translationKey, state: "PUBLISHED", NOT: { id: article.id } },
    select: { language: true, slug: true, title: true },
  });
  const { bodyMarkdown, translationKey: _key, ...rest } = article;
  return { ...rest, html: renderMarkdown(bodyMarkdown), translations };
}

/** Counted apart from reading, so crawlers of the API do not inflate it and a failure never hides the page. */
export async function recordArticleView(deps: Pick<Deps, "db">, articleId: string) {
  await deps.db.article.updateMany({ where: { id: articleId, state: "PUBLISHED" }, data: { views: { increment: 1 } } });
}

export async function getArticleForEditing(deps: Pick<Deps, "db">, actor: Actor, id: string) {
  requireStaff(actor);
  const article = await deps.db.article.findUnique({
    where: { id },
    include: {
      versions: { orderBy: { createdAt: "desc" }, take: 50, select: { id: true, title: true, createdAt: true, editor: { select: { name: true, email: true } } } },
    },
  });
  if (!article) throw new AppError("ARTICLE_NOT_FOUND");
  return article;
}

/** The public home: categories, and the most viewed published articles of a language (Spanish where untranslated). */
export async function kbHome(deps: Pick<Deps, "db">, language: KbLanguage) {
  const visible = await publishedFor(deps, language);
  const [categories, popular] = await Promise.all([
    deps.db.kbCategory.findMany({
      orderBy: [{ position: "asc" }, { nameEs: "asc" }],
      select: { id: true, slug: true, nameEs: true, nameEn: true, _count: { select: { articles: { where: visible } } } },
    }),
    deps.db.article.findMany({
      where: visible,
      orderBy: [{ views: "desc" }, { updatedAt: "desc" }],
      take: 10,
      select: { id: true, slug: true, language: true, title: true, tags: true, views: true },
    }),
  ]);
  return { categories, popular };
}

export function listKbCategories(deps: Pick<Deps, "db">) {
  return deps.db.kbCategory.findMany({ orderBy: [{ position: "asc" }, { nameEs: "asc" }], select: { id: true, slug: true, nameEs: true, nameEn: true } });
}
