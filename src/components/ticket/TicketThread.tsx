"use client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";
import { useI18n } from "~/i18n/react";
import { formatDateTime, personName } from "~/components/ui/format";

type Detail = inferRouterOutputs<AppRouter>["ticket"]["get"];

export function TicketThread({ ticket }: { ticket: Detail }) {
  const { t, locale } = useI18n();
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
                  {m.internal && <span className="badge">{t("ticket.internalBadge")}</span>} <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt, locale)}</time>
                </span>
              </header>
              {/* bodyHtml is produced by the server from escaped text or sanitized mail HTML. */}
              <div dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function TicketHistory({ ticket }: { ticket: Detail }) {
  const { t, locale } = useI18n();
  const label = (v: string | null, kind: "status" | "priority" | "plain") => {
    if (!v) return "—";
    if (kind === "status") return t(`status.${v}` as Parameters<typeof t>[0]);
    if (kind === "priority") return t(`priority.${v}` as Parameters<typeof t>[0]);
    return v;
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t("ticket.history")}</h2>
      <ul className="stack muted" style={{ paddingLeft: "1rem" }}>
        {ticket.events.map((e) => {
          const kind = e.type === "STATUS_CHANGED" ? "status" : e.type === "PRIORITY_CHANGED" ? "priority" : "plain";
          const to = e.type === "ASSIGNED" && !e.toValue ? t("ticket.unassigned") : label(e.toValue, kind);
          return (
            <li key={e.id}>
              <time dateTime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, locale)}</time> ·{" "}
              {t(`ticket.events.${e.type}`, { from: label(e.fromValue, kind), to })}
              {e.actor ? ` · ${personName(e.actor)}` : ""}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
