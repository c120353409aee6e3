"use client";
import { useI18n } from "~/i18n/react";
import { formatDateTime, personName } from "~/components/ui/format";
import type { TicketDetail } from "~/shared/schemas/tickets";

export function TicketMeta({ ticket }: { ticket: TicketDetail }) {
  const { t, locale } = useI18n();
  return (
    <dl className="meta card">
      <dt>{t("ticket.number")}</dt>
      <dd>#{ticket.number}</dd>
      <dt>{t("ticket.trackingId")}</dt>
      <dd>
        <code>{ticket.trackingId}</code>
      </dd>
      <dt>{t("ticket.status")}</dt>
      <dd data-testid="ticket-status">{t(`status.${ticket.status}`)}</dd>
      <dt>{t("ticket.priority")}</dt>
      <dd>{t(`priority.${ticket.priority}`)}</dd>
      <dt>{t("ticket.category")}</dt>
      <dd>{ticket.category ? (locale === "es" ? ticket.category.nameEs : ticket.category.nameEn) : "—"}</dd>
      <dt>{t("ticket.channel")}</dt>
      <dd data-testid="ticket-channel">{t(`channel.${ticket.channel}`)}</dd>
      <dt>{t("ticket.requester")}</dt>
      <dd>{personName(ticket.requester)}</dd>
      <dt>{t("ticket.assignee")}</dt>
      <dd>{ticket.assignee ? personName(ticket.assignee) : t("ticket.unassigned")}</dd>
      <dt>{t("ticket.created")}</dt>
      <dd>{formatDateTime(ticket.createdAt, locale)}</dd>
    </dl>
  );
}
