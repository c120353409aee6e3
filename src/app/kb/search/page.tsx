import type { Metadata } from "next";
import { articlePath } from "~/components/kb/links";
import { categoryName } from "~/components/kb/names";
import { SearchBox } from "~/components/kb/SearchBox";
import { translator } from "~/i18n";
import { getRequestLocale } from "~/i18n/server";
import type { SearchHit } from "~/shared/schemas/kb";
import { processLogger } from "~/server/observability/process-logger";
import { serverApi } from "~/trpc/server";

type Props = { searchParams: Promise<{ q?: string | string[] }> };

const queryOf = (q: string | string[] | undefined) => (typeof q === "string" ? q : (q?.[0] ?? "")).trim().slice(0, 200);

export async function generateMetadata(props: Props): Promise<Metadata> {
  const [q, t] = await Promise.all([props.searchParams.then((p) => queryOf(p.q)), getRequestLocale().then(translator)]);
  return { title: `${q ? t("kb.searchFor", { q }) : t("kb.searchTitle")} · ${t("kb.title")}` };
}

export default async function KbSearchPage(props: Props) {
  const locale = await getRequestLocale();
  const t = translator(locale);
  const q = queryOf((await props.searchParams).q);
  const api = await serverApi();
  let hits: SearchHit[] | null = [];
  if (q) {
    try {
      hits = await api.kb.search({ q, language: locale, limit: 20 });
    } catch (err) {
      processLogger("web").error({ err, q }, "kb search failed");
      hits = null;
    }
  }
  const categories = hits?.length ? new Map((await api.kb.categories()).map((c) => [c.id, c])) : new Map();
  return (
    <div className="stack">
      <nav aria-label={t("kb.title")} className="muted">
        <a href="/kb">{t("kb.back")}</a>
      </nav>
      <h1>{q ? t("kb.searchFor", { q }) : t("kb.searchTitle")}</h1>
      <SearchBox t={t} q={q} />
      {!q && <p className="muted">{t("kb.searchPrompt")}</p>}
      {q && hits === null && <p role="alert">{t("kb.searchUnavailable")}</p>}
      {q && hits?.length === 0 && <p>{t("kb.searchEmpty", { q })}</p>}
      {q && hits && hits.length > 0 && (
        <>
          <p className="muted" role="status">
            {hits.length === 1 ? t("kb.resultCountOne") : t("kb.resultCount", { count: hits.length })}
          </p>
          <ol className="kb-results" aria-label={t("kb.searchFor", { q })}>
            {hits.map((h) => {
              const category = h.categoryId ? categories.get(h.categoryId) : undefined;
              return (
                <li key={h.articleId} className="card" lang={h.language}>
                  <h2>
                    <a href={articlePath(h.slug, h.language, locale)}>{h.title}</a>
                  </h2>
                  {/* HTML-escaped by the search engine, with only <mark> added around matches. */}
                  <p dangerouslySetInnerHTML={{ __html: h.snippet }} />
                  {(category || h.tags.length > 0) && (
                    <p className="muted">
                      {category && (
                        <a href={`/kb/category/${encodeURIComponent(category.slug)}`}>{categoryName(category, locale)}</a>
                      )}
                      {category && h.tags.length > 0 && " · "}
                      {h.tags.length > 0 && (
                        <span>
                          {t("kb.tags")}: {h.tags.join(", ")}
                        </span>
                      )}
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
