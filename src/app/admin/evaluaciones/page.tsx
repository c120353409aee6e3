"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { articlePath } from "~/components/kb/links";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime, personName } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

/** yyyy-MM-dd of a local date, for <input type="date">. */
function dayText(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The period [from's local midnight, the day after `to`): both days included. */
function periodOf(from: string, to: string): { from: Date; to: Date } | null {
  const a = new Date(`${from}T00:00:00`);
  const b = new Date(`${to}T00:00:00`);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return null;
  b.setDate(b.getDate() + 1);
  return { from: a, to: b };
}

/** Admin: "¿Le ayudó esta respuesta?" per agent over a period, the latest comments, and the knowledge base's deflections. */
export default function EvaluationsPage() {
  const { t, locale } = useI18n();
  const ids = useId();
  const [from, setFrom] = useState(() => dayText(new Date(Date.now() - 29 * 86_400_000)));
  const [to, setTo] = useState(() => dayText(new Date()));
  const period = useMemo(() => periodOf(from, to), [from, to]);
  const input = period ?? { from: new Date(0), to: new Date(0) };
  const opts = { enabled: !!period, placeholderData: keepPreviousData };
  const byAgent = api.evaluation.byAgent.useQuery(input, opts);
  const comments = api.evaluation.comments.useInfiniteQuery({ ...input, limit: 10 }, { ...opts, getNextPageParam: (last) => last.nextCursor });
  const deflections = api.evaluation.deflections.useQuery(input, opts);
  const rows = byAgent.data ?? [];
  const notes = comments.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="stack">
      <h1>{t("myTickets.admin.title")}</h1>
      <p className="muted">{t("myTickets.admin.intro")}</p>
      <div className="row">
        <label>
          {t("myTickets.admin.from")}
          <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t("myTickets.admin.to")}
          <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>

      <section className="stack" aria-labelledby={`${ids}-agents`}>
        <h2 id={`${ids}-agents`}>{t("myTickets.admin.byAgent")}</h2>
        <FormError error={byAgent.error} />
        {byAgent.isSuccess && rows.length === 0 ? (
          <p className="muted">{t("myTickets.admin.none")}</p>
        ) : (
          <table aria-labelledby={`${ids}-agents`}>
            <thead>
              <tr>
                <th scope="col">{t("myTickets.admin.colAgent")}</th>
                <th scope="col" className="num">{t("myTickets.admin.colHelpful")}</th>
                <th scope="col" className="num">{t("myTickets.admin.colNotHelpful")}</th>
                <th scope="col" className="num">{t("myTickets.admin.colTotal")}</th>
                <th scope="col" className="num">{t("myTickets.admin.colPercent")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.agent?.id ?? "none"}>
                  <th scope="row">{r.agent ? personName(r.agent) : t("myTickets.admin.noAgent")}</th>
                  <td className="num">{r.helpful}</td>
                  <td className="num">{r.notHelpful}</td>
                  <td className="num">{r.total}</td>
                  <td className="num">{r.helpfulPercent} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="stack" aria-labelledby={`${ids}-comments`}>
        <h2 id={`${ids}-comments`}>{t("myTickets.admin.comments")}</h2>
        <FormError error={comments.error} />
        {comments.isSuccess && notes.length === 0 ? (
          <p className="muted">{t("myTickets.admin.noComments")}</p>
        ) : (
          <ul className="plain stack">
            {notes.map((c) => (
              <li key={c.id} className="card stack" style={{ gap: ".4rem" }}>
                <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
                  <a href={`/agent/tickets/${c.ticket.number}`}>{t("myTickets.admin.ticket", { number: c.ticket.number, subject: c.ticket.subject })}</a>
                  <span className={`badge ${c.helpful ? "LOW" : "HIGH"}`}>{t(c.helpful ? "evaluation.HELPFUL" : "evaluation.NOT_HELPFUL")}</span>
                </div>
                <blockquote style={{ margin: 0, whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{c.comment}</blockquote>
                <p className="muted" style={{ margin: 0 }}>
                  {c.agent ? personName(c.agent) : t("myTickets.admin.noAgent")} ·{" "}
                  <time dateTime={new Date(c.updatedAt).toISOString()}>{formatDateTime(c.updatedAt, locale)}</time>
                </p>
              </li>
            ))}
          </ul>
        )}
        {comments.hasNextPage && (
          <div>
            <button type="button" className="secondary" disabled={comments.isFetchingNextPage} onClick={() => void comments.fetchNextPage()}>
              {t("myTickets.admin.more")}
            </button>
          </div>
        )}
      </section>

      <section className="stack" aria-labelledby={`${ids}-deflections`}>
        <h2 id={`${ids}-deflections`}>{t("myTickets.admin.deflections")}</h2>
        <p className="muted">{t("myTickets.admin.deflectionsIntro")}</p>
        <FormError error={deflections.error} />
        {deflections.data && (
          <>
            <p>
              <strong>{t("myTickets.admin.deflectionsTotal", { count: deflections.data.total })}</strong>
            </p>
            {deflections.data.articles.length === 0 ? (
              <p className="muted">{t("myTickets.admin.noDeflections")}</p>
            ) : (
              <table aria-labelledby={`${ids}-deflections`}>
                <thead>
                  <tr>
                    <th scope="col">{t("myTickets.admin.colArticle")}</th>
                    <th scope="col" className="num">{t("myTickets.admin.colDeflections")}</th>
                  </tr>
                </thead>
                <tbody>
                  {deflections.data.articles.map((a) => (
                    <tr key={a.article.id}>
                      <th scope="row">
                        <a href={articlePath(a.article.slug, a.article.language === "en" ? "en" : "es", locale)}>{a.article.title}</a>
                      </th>
                      <td className="num">{a.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
    </div>
  );
}
