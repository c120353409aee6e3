"use client";
import { useI18n } from "~/i18n/react";
import { QUEUE_VIEWS, type QueueView } from "~/shared/queue";
import type { QueueCounts } from "~/shared/schemas/queue";

/** The views as toggle buttons, each with its live count ("1000+" past the cap of "Todos"). */
export function QueueViews({ view, counts, onChange }: { view: QueueView; counts: QueueCounts | undefined; onChange: (v: QueueView) => void }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t("queue.views")} className="queue-views">
      {QUEUE_VIEWS.map((v) => (
        <button key={v} type="button" className={v === view ? undefined : "secondary"} aria-pressed={v === view} onClick={() => onChange(v)}>
          {t(`queue.view.${v}`)}{" "}
          <span className={`count ${v === "overdue" || v === "atRisk" ? v : ""}`} data-testid={`count-${v}`}>
            {counts ? `${counts[v]}${v === "all" && counts.allMore ? "+" : ""}` : "…"}
          </span>
        </button>
      ))}
    </nav>
  );
}
