"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import type { SearchHit } from "~/shared/schemas/kb";
import { api } from "~/trpc/react";
import { articlePath } from "./links";
import { useDebounced } from "./useDebounced";

export const SUGGEST_MIN_CHARS = 3;

/**
 * What the form does when a suggested article solved the problem (seeds 001, 002): the deflection is
 * counted once per draft (`draftId`, the form's own key), then `onSolved` discards the draft.
 */
export interface Deflection {
  draftId: string;
  onSolved: () => void;
}

/**
 * Up to five articles matching what the customer is typing (the ticket's subject), before they send it.
 * With `deflection`, each can be read in place and answered with "Esto resolvió mi problema".
 */
export function ArticleSuggestions({ text, deflection }: { text: string; deflection?: Deflection }) {
  const { t, locale } = useI18n();
  const ids = useId();
  const q = useDebounced(text.trim(), 300);
  const enabled = q.length >= SUGGEST_MIN_CHARS;
  const suggest = api.kb.suggest.useQuery({ q, language: locale }, { enabled, placeholderData: keepPreviousData, staleTime: 60_000, retry: false });
  const [reading, setReading] = useState<string | null>(null);
  const hits = enabled ? (suggest.data ?? []).slice(0, 5) : [];
  if (hits.length === 0) return null;
  return (
    <section className="card kb-suggestions" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-hint`}>
      <h2 id={`${ids}-title`}>{t("kb.suggestions")}</h2>
      <p id={`${ids}-hint`} className="muted">
        {t("kb.suggestionsHint")}
      </p>
      <ul>
        {hits.map((h) => (
          <li key={h.articleId}>
            <a href={articlePath(h.slug, h.language, locale)} target="_blank" rel="noopener">
              {h.title}
            </a>
            {deflection && (
              <>
                {" "}
                <button
                  type="button"
                  className="secondary small"
                  aria-expanded={reading === h.articleId}
                  aria-controls={`${ids}-${h.articleId}`}
                  onClick={() => setReading((r) => (r === h.articleId ? null : h.articleId))}
                >
                  {reading === h.articleId ? t("myTickets.deflection.hide") : t("myTickets.deflection.read", { title: h.title })}
                </button>
                {reading === h.articleId && <InlineArticle id={`${ids}-${h.articleId}`} hit={h} deflection={deflection} />}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The suggested article read in place, with the answer that sends no ticket. */
function InlineArticle({ id, hit, deflection }: { id: string; hit: SearchHit; deflection: Deflection }) {
  const { t } = useI18n();
  const article = api.kb.article.useQuery({ language: hit.language, slug: hit.slug }, { staleTime: 60_000, retry: false });
  const recordView = api.kb.recordView.useMutation();
  const deflect = api.portal.deflect.useMutation({ onSuccess: () => deflection.onSolved() });
  const { mutate: view } = recordView;
  useEffect(() => view({ articleId: hit.articleId }), [hit.articleId, view]);
  return (
    <div id={id} className="kb-inline-article stack" role="region" aria-label={hit.title}>
      {article.data ? (
        <div className="kb-body" lang={article.data.language} dangerouslySetInnerHTML={{ __html: article.data.html }} />
      ) : (
        <p className="muted">{article.error ? article.error.message : t("myTickets.deflection.loading")}</p>
      )}
      <p className="muted" style={{ margin: 0 }}>
        {t("myTickets.deflection.solvedHint")}
      </p>
      <FormError error={deflect.error} />
      <div>
        <button type="button" disabled={deflect.isPending || deflect.isSuccess} onClick={() => deflect.mutate({ articleId: hit.articleId, draftId: deflection.draftId })}>
          {t("myTickets.deflection.solved")}
        </button>
      </div>
    </div>
  );
}
