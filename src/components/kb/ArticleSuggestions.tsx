"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useId } from "react";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { articlePath } from "./links";
import { useDebounced } from "./useDebounced";

export const SUGGEST_MIN_CHARS = 3;

/** Up to five articles matching what the customer is typing (the ticket's subject), before they send it. */
export function ArticleSuggestions({ text }: { text: string }) {
  const { t, locale } = useI18n();
  const ids = useId();
  const q = useDebounced(text.trim(), 300);
  const enabled = q.length >= SUGGEST_MIN_CHARS;
  const suggest = api.kb.suggest.useQuery({ q, language: locale }, { enabled, placeholderData: keepPreviousData, staleTime: 60_000, retry: false });
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
          </li>
        ))}
      </ul>
    </section>
  );
}
