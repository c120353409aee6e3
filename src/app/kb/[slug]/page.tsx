import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ArticleFeedback } from "~/components/kb/ArticleFeedback";
import { articlePath } from "~/components/kb/links";
import { categoryName } from "~/components/kb/names";
import { RecordView } from "~/components/kb/RecordView";
import { SearchBox } from "~/components/kb/SearchBox";
import { formatDate } from "~/components/ui/format";
import { isLocale, translator, type Locale } from "~/i18n";
import { getRequestLocale } from "~/i18n/server";
import { TRPCError } from "@trpc/server";
import { serverApi } from "~/trpc/server";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ lang?: string | string[] }> };

async function tryArticle(language: Locale, slug: string) {
  try {
    return await (await serverApi()).kb.article({ language, slug });
  } catch (err) {
    // Not there, or a slug no article can have (the API refuses it): the same "not found".
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) return null;
    throw err;
  }
}

/**
 * `?lang=` names the article's language; without it the page's language is tried first, then the
 * other one (a shared link still opens for a reader whose language differs).
 */
const findArticle = cache(async (slug: string, lang: string | undefined, locale: Locale) => {
  if (slug.length > 80) return null;
  if (isLocale(lang)) return tryArticle(lang, slug);
  return (await tryArticle(locale, slug)) ?? tryArticle(locale === "es" ? "en" : "es", slug);
});

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function load(props: Props) {
  const [{ slug }, { lang }, locale] = await Promise.all([props.params, props.searchParams, getRequestLocale()]);
  const article = await findArticle(safeDecode(slug), typeof lang === "string" ? lang : undefined, locale);
  return { article, locale };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { article, locale } = await load(props);
  const t = translator(locale);
  if (!article) return { title: `${t("kb.title")} · ${t("app.name")}` };
  const self = articlePath(article.slug, article.language);
  return {
    title: `${article.title} · ${t("kb.title")}`,
    alternates: {
      canonical: self,
      languages: Object.fromEntries([[article.language, self], ...article.translations.map((tr) => [tr.language, articlePath(tr.slug, tr.language)])]),
    },
  };
}

export default async function ArticlePage(props: Props) {
  const { article, locale } = await load(props);
  if (!article) notFound();
  const t = translator(locale);
  return (
    <div className="stack kb-page">
      <nav aria-label={t("kb.title")} className="muted">
        <a href="/kb">{t("kb.back")}</a>
      </nav>
      <article className="card stack" lang={article.language} aria-labelledby="kb-article-title">
        <header className="stack kb-article-head">
          <h1 id="kb-article-title">{article.title}</h1>
          <p className="muted">
            <time dateTime={article.updatedAt.toISOString()}>{t("kb.updated", { date: formatDate(article.updatedAt, locale) })}</time>
            {article.category && (
              <>
                {" · "}
                <a href={`/kb/category/${encodeURIComponent(article.category.slug)}`}>{categoryName(article.category, locale)}</a>
              </>
            )}
          </p>
        </header>
        {/* Rendered from Markdown and sanitized on the server (getPublishedArticle). */}
        <div className="kb-body" dangerouslySetInnerHTML={{ __html: article.html }} />
        {article.tags.length > 0 && (
          <ul className="tags" aria-label={t("kb.tags")}>
            {article.tags.map((tag) => (
              <li key={tag} className="badge">
                {tag}
              </li>
            ))}
          </ul>
        )}
        {article.translations.length > 0 && (
          <p className="muted">
            {t("kb.translations")}{" "}
            {article.translations.map((tr, i) => (
              <span key={tr.language}>
                {i > 0 && ", "}
                <a href={articlePath(tr.slug, tr.language)} hrefLang={tr.language} lang={tr.language}>
                  {t(`kb.languageNames.${tr.language === "en" ? "en" : "es"}`)}: {tr.title}
                </a>
              </span>
            ))}
          </p>
        )}
      </article>
      <ArticleFeedback articleId={article.id} />
      <SearchBox t={t} />
      <RecordView articleId={article.id} />
    </div>
  );
}
