"use client";
import { useI18n } from "~/i18n/react";
import { formatDateTime, personName } from "~/components/ui/format";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { customFieldText, fieldLabel } from "./custom-field-text";
import { MessageBody } from "./MessageBody";
import { MessageAttachments } from "~/components/attachments/MessageAttachments";

export function TicketThread({ ticket }: { ticket: TicketDetail }) {
  const { t, locale, timeZone } = useI18n();
  return (
    <section aria-labelledby="thread-title" className="stack">
      <h2 id="thread-title">{t("ticket.thread")}</h2>
      <ol className="stack" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("ticket.thread")}>
        {ticket.messages.map((m) => (
          <li key={m.id}>
            <article className={`message${m.internal ? " internal" : ""}`} aria-label={personName(m.author) || t("ticket.system")}>
              <header>
                <strong>{personName(m.author) || t("ticket.system")}</strong>
                <span>
                  {m.mergedFromTicket && <span className="badge merged-from">{t("actions.mergedFrom", { number: m.mergedFromTicket.number })}</span>}
                  {m.internal && <span className="badge">{t("ticket.internalBadge")}</span>}
                  {m.unverifiedSender && <span className="badge warning">{t("ticket.unverifiedSender")}</span>}
                  {m.automated && <span className="badge">{t("ticket.automated")}</span>}
                  {m.channel === "EMAIL" && ` ${t("ticket.viaEmail")} · `} <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt, locale, timeZone)}</time>
                </span>
              </header>
              {/* Where the mail came from is in doubt: said in words, before its text (staff only). */}
              {m.unverifiedSender && (
                <p className="mail-warning" role="note">
                  <span aria-hidden="true">⚠ </span>
                  {t("ticket.unverifiedSenderHelp")}
                </p>
              )}
              {m.dmarcFailed && (
                <p className="mail-warning" role="note">
                  <span aria-hidden="true">⚠ </span>
                  {t("ticket.dmarcFailed")}
                </p>
              )}
              {/* Both bodies come from the server as escaped text or sanitized mail HTML. */}
              <MessageBody bodyHtml={m.bodyHtml} fullHtml={m.fullHtml} />
              <MessageAttachments attachments={m.attachments} />
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function TicketHistory({ ticket }: { ticket: TicketDetail }) {
  const { t, locale, timeZone } = useI18n();
  const label = (v: string | null, kind: "status" | "priority" | "evaluation" | "plain") => {
    if (!v) return "—";
    if (kind === "evaluation") return t(v === "HELPFUL" ? "evaluation.HELPFUL" : "evaluation.NOT_HELPFUL");
    if (kind === "status") return t(`status.${v}` as Parameters<typeof t>[0]);
    if (kind === "priority") return t(`priority.${v}` as Parameters<typeof t>[0]);
    return v;
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t("ticket.history")}</h2>
      <ul className="stack muted" style={{ paddingLeft: "1rem" }}>
        {ticket.events.map((e) => {
          const kind = e.type === "STATUS_CHANGED" ? "status" : e.type === "PRIORITY_CHANGED" ? "priority" : e.type === "EVALUATED" ? "evaluation" : "plain";
          const to = e.type === "ASSIGNED" && !e.toValue ? t("ticket.unassigned") : label(e.toValue, kind);
          const field = e.type === "CUSTOM_FIELD_CHANGED" ? e.customField : null;
          const fieldText = (v: string | null) => (field && customFieldText(field, v, locale, { yes: t("customFields.yes"), no: t("customFields.no") })) ?? "—";
          return (
            <li key={e.id}>
              <time dateTime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, locale, timeZone)}</time> ·{" "}
              {field
                ? t("ticket.events.CUSTOM_FIELD_CHANGED", { field: fieldLabel(field, locale), from: fieldText(e.fromValue), to: fieldText(e.toValue) })
                : t(`ticket.events.${e.type}`, { from: label(e.fromValue, kind), to })}
              {e.actor ? ` · ${personName(e.actor)}` : ""}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
