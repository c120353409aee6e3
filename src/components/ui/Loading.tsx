"use client";
import type { MessageKey } from "~/i18n";
import { useI18n } from "~/i18n/react";

/**
 * A labelled busy state in place of a blank page: screen readers hear "Cargando…" (role=status,
 * aria-busy), sighted users see the page's rough shape. The grey bars are decoration only.
 */
export function Loading({ label = "loading.page", shape = "page" }: { label?: MessageKey; shape?: "page" | "ticket" | "list" }) {
  const { t } = useI18n();
  return (
    <div role="status" aria-busy="true" aria-live="polite" className="loading">
      <span className="visually-hidden">{t(label)}</span>
      <div aria-hidden="true">
        <div className="skeleton skeleton-title" />
        {shape === "ticket" ? (
          <div className="grid">
            <div>
              <div className="skeleton skeleton-block" />
              <div className="skeleton skeleton-block" />
              <div className="skeleton skeleton-block" />
            </div>
            <div>
              <div className="skeleton skeleton-line" />
              <div className="skeleton skeleton-line" />
              <div className="skeleton skeleton-line" />
            </div>
          </div>
        ) : (
          Array.from({ length: shape === "list" ? 8 : 4 }, (_, i) => <div key={i} className="skeleton skeleton-line" />)
        )}
      </div>
    </div>
  );
}
