"use client";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";

/** What the requester answered to "¿Le ayudó esta respuesta?", for the agents. */
export function EvaluationSummary({ ticket }: { ticket: TicketDetail }) {
  const { t, locale, timeZone } = useI18n();
  const e = ticket.evaluation;
  return (
    <section aria-labelledby="evaluation-title" className="card stack">
      <h2 id="evaluation-title">{t("actions.evaluation")}</h2>
      {e ? (
        <>
          <p>
            <strong className={`badge ${e.helpful ? "LOW" : "HIGH"}`}>{t(e.helpful ? "evaluation.HELPFUL" : "evaluation.NOT_HELPFUL")}</strong>{" "}
            <time className="muted" dateTime={new Date(e.updatedAt).toISOString()}>
              {formatDateTime(e.updatedAt, locale, timeZone)}
            </time>
          </p>
          {e.comment && <blockquote style={{ margin: 0, whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{e.comment}</blockquote>}
        </>
      ) : (
        <p className="muted">{t("actions.evaluationNone")}</p>
      )}
    </section>
  );
}
