import type { Metadata } from "next";
import { articlePath } from "~/components/kb/links";
import { categoryName } from "~/components/kb/names";
import { SearchBox } from "~/components/kb/SearchBox";
import { GuestLinks } from "~/components/guest/GuestLinks";
import { getCurrentActor } from "~/server/auth/current-actor";
import { getRequestLocale } from "~/i18n/server";
import { translator } from "~/i18n";
import { serverApi } from "~/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = translator(await getRequestLocale());
  return { title: `${t("kb.title")} · ${t("app.name")}`, description: t("kb.intro") };
}

export default async function KbHome() {
  const locale = await getRequestLocale();
  const t = translator(locale);
  const [{ categories, popular }, actor] = await Promise.all([(await serverApi()).kb.home({ language: locale }), getCurrentActor()]);
  const withArticles = categories.filter((c) => c._count.articles > 0);
  return (
    <div className="stack">
      <div>
        <h1>{t("kb.title")}</h1>
        <p className="muted">{t("kb.intro")}</p>
      </div>
      <SearchBox t={t} />
      {withArticles.length > 0 && (
        <section aria-labelledby="kb-categories">
          <h2 id="kb-categories">{t("kb.categories")}</h2>
          <ul className="kb-categories">
            {withArticles.map((c) => (
              <li key={c.id} className="card">
                <a href={`/kb/category/${encodeURIComponent(c.slug)}`}>{categoryName(c, locale)}</a>
                <span className="muted">{c._count.articles === 1 ? t("kb.articleCountOne") : t("kb.articleCount", { count: c._count.articles })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="kb-popular">
        <h2 id="kb-popular">{t("kb.popular")}</h2>
        {popular.length === 0 ? (
          <p className="muted">{t("kb.noArticles")}</p>
        ) : (
          <ol className="kb-list">
            {popular.map((a) => (
              <li key={a.id}>
                <a href={articlePath(a.slug, a.language, locale)} lang={a.language === locale ? undefined : a.language}>
                  {a.title}
                </a> <span className="muted">· {(a.views === 1 ? t("kb.viewsOne") : t("kb.views", { count: a.views }))}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
      {/* Seed 001: when no article helps, a ticket — signed out, without an account. */}
      {!actor && <GuestLinks t={t} />}
    </div>
  );
}
