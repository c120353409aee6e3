"use client";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import type { MyTicket } from "~/shared/schemas/portal";

const href = (t: MyTicket) => `/portal/tickets/${t.number}`;
const evaluable = (t: MyTicket) => t.status === "RESOLVED" || t.status === "CLOSED";

/**
 * "Mis tickets" (seed 004): one row per ticket with Número, Motivo, Asunto, Fecha de creación, Fecha de
 * respuesta, Estado and Evaluación. The same data twice: a table on wide screens and cards on phones
 * (styles/portal-list.css shows one of them), so a narrow screen never squeezes a seven-column table.
 */
export function MyTicketsList({ items }: { items: MyTicket[] }) {
  return (
    <>
      <MyTicketsTable items={items} />
      <ul className="my-ticket-cards">
        {items.map((item) => (
          <MyTicketCard key={item.id} item={item} />
        ))}
      </ul>
    </>
  );
}

function useCells() {
  const { t, locale, timeZone } = useI18n();
  return {
    t,
    category: (i: MyTicket) => (i.category ? (locale === "es" ? i.category.nameEs : i.category.nameEn) : t("myTickets.noCategory")),
    created: (i: MyTicket) => <time dateTime={new Date(i.createdAt).toISOString()}>{formatDateTime(i.createdAt, locale, timeZone)}</time>,
    answered: (i: MyTicket) =>
      i.firstResponseAt ? (
        <time dateTime={new Date(i.firstResponseAt).toISOString()}>{formatDateTime(i.firstResponseAt, locale, timeZone)}</time>
      ) : (
        <span className="muted">{t("myTickets.notAnswered")}</span>
      ),
    status: (i: MyTicket) => (
      <span className="my-ticket-status">
        <span className={`badge status-${i.status}`}>{t(`status.${i.status}`)}</span>
        {i.waitingPosition !== null && (
          <span className="my-ticket-waiting" title={t("myTickets.waitingHint", { ahead: i.waitingPosition - 1 })}>
            {t("myTickets.waiting", { position: i.waitingPosition })}
          </span>
        )}
      </span>
    ),
    evaluation: (i: MyTicket) =>
      i.helpful === null ? (
        evaluable(i) ? (
          <a href={`${href(i)}#evaluacion`}>{t("evaluation.title")}</a>
        ) : (
          <span className="muted">{t("myTickets.evaluationNone")}</span>
        )
      ) : (
        <span className={`badge ${i.helpful ? "LOW" : "HIGH"}`}>{t(i.helpful ? "evaluation.HELPFUL" : "evaluation.NOT_HELPFUL")}</span>
      ),
    subject: (i: MyTicket) => (
      <>
        <a href={href(i)}>{i.subject}</a>
        {i.requesterName && <span className="muted my-ticket-requester"> · {t("people.myTickets.requester", { name: i.requesterName })}</span>}
        {i.unread && (
          <span className="badge unread" title={t("myTickets.unreadHint")}>
            {t("myTickets.unread")}
          </span>
        )}
      </>
    ),
  };
}

function MyTicketsTable({ items }: { items: MyTicket[] }) {
  const c = useCells();
  const { t } = c;
  return (
    <table className="my-tickets-table">
      <thead>
        <tr>
          <th scope="col">{t("myTickets.colNumber")}</th>
          <th scope="col">{t("myTickets.colCategory")}</th>
          <th scope="col">{t("myTickets.colSubject")}</th>
          <th scope="col">{t("myTickets.colCreated")}</th>
          <th scope="col">{t("myTickets.colAnswered")}</th>
          <th scope="col">{t("myTickets.colStatus")}</th>
          <th scope="col">{t("myTickets.colEvaluation")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id} className={i.unread ? "unread" : undefined} data-ticket={i.number}>
            <td>#{i.number}</td>
            <td>{c.category(i)}</td>
            <td className="my-ticket-subject">{c.subject(i)}</td>
            <td>{c.created(i)}</td>
            <td>{c.answered(i)}</td>
            <td>{c.status(i)}</td>
            <td>{c.evaluation(i)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MyTicketCard({ item: i }: { item: MyTicket }) {
  const c = useCells();
  const { t } = c;
  return (
    <li className={`card my-ticket-card${i.unread ? " unread" : ""}`} data-ticket={i.number}>
      <div className="my-ticket-card-head">
        <span className="muted">#{i.number}</span>
        {c.status(i)}
      </div>
      <p className="my-ticket-subject">{c.subject(i)}</p>
      <dl className="my-ticket-facts">
        <dt>{t("myTickets.colCategory")}</dt>
        <dd>{c.category(i)}</dd>
        <dt>{t("myTickets.colCreated")}</dt>
        <dd>{c.created(i)}</dd>
        <dt>{t("myTickets.colAnswered")}</dt>
        <dd>{c.answered(i)}</dd>
        <dt>{t("myTickets.colEvaluation")}</dt>
        <dd>{c.evaluation(i)}</dd>
      </dl>
    </li>
  );
}
