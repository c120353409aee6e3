"use client";
import { formatDateTime, personName } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import type { QueueItem } from "~/shared/schemas/queue";
import { formatDuration, useNow } from "./durations";

interface Props {
  items: QueueItem[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (checked: boolean) => void;
  onFocusRow: (index: number) => void;
}

/**
 * The queue's rows. A fixed table layout: the subject column takes what is left and cuts a long
 * subject with an ellipsis (the link keeps the whole text, and so does its tooltip), so no subject
 * can push the page sideways; narrow screens drop the number and last-message columns.
 */
export function QueueTable({ items, selected, onToggle, onToggleAll, onFocusRow }: Props) {
  const { t, locale } = useI18n();
  const now = useNow();
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));
  return (
    <table className="queue-table">
      <thead>
        <tr>
          <th scope="col" className="q-sel">
            <input type="checkbox" aria-label={t("queue.selectAll")} checked={allSelected} onChange={(e) => onToggleAll(e.target.checked)} />
          </th>
          <th scope="col" className="q-num wide-only">
            {t("ticket.number")}
          </th>
          <th scope="col" className="q-person">
            {t("ticket.requester")}
          </th>
          <th scope="col" className="q-subject">
            {t("ticket.subject")}
          </th>
          <th scope="col" className="q-priority">
            {t("ticket.priority")}
          </th>
          <th scope="col" className="q-status">
            {t("ticket.status")}
          </th>
          <th scope="col" className="q-person">
            {t("ticket.assignee")}
          </th>
          <th scope="col" className="q-time wide-only">
            {t("queue.colLastCustomer")}
          </th>
          <th scope="col" className="q-time">
            {t("queue.colSla")}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, index) => {
          const isSelected = selected.has(item.id);
          return (
            <tr key={item.id} data-index={index} className={isSelected ? "selected" : undefined} onFocus={() => onFocusRow(index)}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t("queue.selectTicket", { number: item.number, subject: item.subject })}
                  checked={isSelected}
                  onChange={() => onToggle(item.id)}
                />
              </td>
              <td className="wide-only">#{item.number}</td>
              <td>{personName(item.requester)}</td>
              <td className="q-subject">
                <a href={`/agent/tickets/${item.number}`} title={item.subject} data-row-link>
                  {item.subject}
                </a>
              </td>
              <td>
                <span className={`badge ${item.priority}`}>{t(`priority.${item.priority}`)}</span>
              </td>
              <td>
                <span className="badge">{t(`status.${item.status}`)}</span>
              </td>
              <td>
                {item.assignee ? personName(item.assignee) : <span className="muted">{t("ticket.unassigned")}</span>}
                {item.team && (
                  <span className="q-team muted" title={`${t("queue.colTeam")}: ${item.team.name}`}>
                    {item.team.name}
                  </span>
                )}
              </td>
              <td className="wide-only">
                {item.lastCustomerMessageAt && (
                  <time dateTime={item.lastCustomerMessageAt.toISOString()} title={formatDateTime(item.lastCustomerMessageAt, locale)}>
                    {t("queue.ago", { time: formatDuration(now - item.lastCustomerMessageAt.getTime()) })}
                  </time>
                )}
              </td>
              <td>
                <SlaCell item={item} now={now} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SlaCell({ item, now }: { item: QueueItem; now: number }) {
  const { t, locale } = useI18n();
  if (item.slaState === "paused" || !item.slaDueAt) return item.slaState === "paused" ? <span className="sla paused">{t("queue.slaPaused")}</span> : null;
  const left = item.slaDueAt.getTime() - now;
  const overdue = item.slaState === "overdue" || left <= 0;
  const text = overdue ? `−${formatDuration(left)}` : formatDuration(left);
  const label = overdue ? t("queue.slaOverdue", { time: formatDuration(left) }) : t("queue.slaLeft", { time: formatDuration(left) });
  const state = overdue ? "overdue" : item.slaState === "atRisk" ? "atRisk" : "";
  return (
    <time className={`sla ${state}`} dateTime={item.slaDueAt.toISOString()} title={`${label} (${formatDateTime(item.slaDueAt, locale)})`}>
      <span aria-hidden="true">{text}</span>
      <span className="visually-hidden">
        {label}
        {state === "atRisk" ? `, ${t("queue.slaAtRisk")}` : ""}
      </span>
    </time>
  );
}
