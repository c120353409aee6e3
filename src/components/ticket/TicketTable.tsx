"use client";
import { useI18n } from "~/i18n/react";
import { formatDateTime, personName } from "~/components/ui/format";
import type { TicketListItem } from "~/shared/schemas/tickets";

export function TicketTable({ items, hrefBase, showPeople }: { items: TicketListItem[]; hrefBase: string; showPeople: boolean }) {
  const { t, locale } = useI18n();
  return (
    <table className="ticket-table">
      <thead>
        <tr>
          <th scope="col">{t("ticket.number")}</th>
          <th scope="col">{t("ticket.subject")}</th>
          <th scope="col">{t("ticket.status")}</th>
          <th scope="col">{t("ticket.priority")}</th>
          <th scope="col">{t("ticket.category")}</th>
          {showPeople && <th scope="col">{t("ticket.requester")}</th>}
          {showPeople && <th scope="col">{t("ticket.assignee")}</th>}
          <th scope="col">{t("ticket.created")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id}>
            <td>#{item.number}</td>
            <td>
              <a href={`${hrefBase}/${item.number}`}>{item.subject}</a>
            </td>
            <td>
              <span className="badge">{t(`status.${item.status}`)}</span>
            </td>
            <td>
              <span className={`badge ${item.priority}`}>{t(`priority.${item.priority}`)}</span>
            </td>
            <td>{item.category ? (locale === "es" ? item.category.nameEs : item.category.nameEn) : "—"}</td>
            {showPeople && <td>{personName(item.requester)}</td>}
            {showPeople && <td>{item.assignee ? personName(item.assignee) : t("ticket.unassigned")}</td>}
            <td>{formatDateTime(item.createdAt, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
