"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { articlePublicUrl } from "./links";
import { SUGGEST_MIN_CHARS } from "./ArticleSuggestions";
import { useDebounced } from "./useDebounced";

/** For agents answering a ticket: find a published article and add its public address to the reply. */
export function InsertArticle({ onInsert }: { onInsert: (url: string) => void }) {
  const { t } = useI18n();
  const ids = useId();
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 300);
  const enabled = q.length >= SUGGEST_MIN_CHARS;
  // Any language: the customer may not read the agent's.
  const suggest = api.kb.suggest.useQuery({ q }, { enabled, placeholderData: keepPreviousData, retry: false });
  const hits = enabled ? (suggest.data ?? []) : [];
  return (
    <div className="kb-insert stack">
      <label>
        {t("kb.insert.label")}
        <input
          type="search"
          value={text}
          placeholder={t("kb.insert.placeholder")}
          onChange={(e) => setText(e.target.value)}
          // Enter here searches; it must not send the reply this field sits in.
          onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
          aria-controls={`${ids}-hits`}
        />
      </label>
      <ul id={`${ids}-hits`} className="plain" aria-live="polite">
        {hits.map((h) => (
          <li key={h.articleId} className="row" style={{ alignItems: "center" }}>
            <span>
              {h.title} <span className="badge">{t(`kb.languages.${h.language === "en" ? "en" : "es"}`)}</span>
            </span>
            <button
              type="button"
              className="secondary small"
              aria-label={t("kb.insert.insertTitle", { title: h.title })}
              onClick={() => {
                onInsert(articlePublicUrl(window.location.origin, h.slug, h.language));
                setText("");
              }}
            >
              {t("kb.insert.button")}
            </button>
          </li>
        ))}
        {enabled && suggest.isSuccess && !suggest.isPlaceholderData && hits.length === 0 && <li className="muted">{t("kb.insert.none")}</li>}
      </ul>
    </div>
  );
}
