import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { articlePath } from "~/components/kb/links";
import { categoryName } from "~/components/kb/names";
import { SearchBox } from "~/components/kb/SearchBox";
import { translator } from "~/i18n";
import { getRequestLocale } from "~/i18n/server";
import { TRPCError } from "@trpc/server";
import { serverApi } from "~/trpc/server";

type Props = { params: Promise<{ slug: string }> };

/** A slug no category can have (the API refuses it) is simply not found. */
function notFoundOnBadSlug(err: unknown): null {
  if (err instanceof TRPCError && err.code === "BAD_REQUEST") return null;
  throw err;
}

const load = cache(async (slug: string) => {
  const locale = await getRequestLocale();
  return { locale, found: slug.length <= 80 ? await (await serverApi()).kb.category({ language: locale, slug }).catch(notFoundOnBadSlug) : null };
});

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { locale, found } = await load((await props.params).slug);
  const t = translator(locale);
  return { title: found ? `${categoryName(found.category, locale)} · ${t("kb.title")}` : t("kb.title") };
}

export default async function CategoryPage(props: Props) {
  const { locale, found } = await load((await props.params).slug);
  if (!found) notFound();
  const t = translator(locale);
  return (
    <div className="stack">
      <nav aria-label={t("kb.title")} className="muted">
        <a href="/kb">{t("kb.back")}</a>
      </nav>
      <h1>{categoryName(found.category, locale)}</h1>
      {found.articles.length === 0 ? (
        <p className="muted">{t("kb.noArticles")}</p>
      ) : (
        <ul className="kb-list">
          {found.articles.map((a) => (
            <li key={a.id}>
              <a href={articlePath(a.slug, a.language, locale)} lang={a.language === locale ? undefined : a.language}>
                {a.title}
              </a>
            </li>
          ))}
        </ul>
      )}
      <SearchBox t={t} />
    </div>
  );
}
