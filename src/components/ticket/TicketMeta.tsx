"use client";
import { useI18n } from "~/i18n/react";
import { formatDateTime, personName } from "~/components/ui/format";
import type { TicketStatus } from "~/shared/enums";
import type { TicketDetail } from "~/shared/schemas/tickets";

const FINISHED: ReadonlySet<TicketStatus> = new Set(["RESOLVED", "CLOSED", "REJECTED"]);

export function TicketMeta({ ticket }: { ticket: TicketDetail }) {
  const { t, locale, timeZone } = useI18n();
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
      {ticket.product && (
        <>
          <dt>{t("newTicket.productLabel")}</dt>
          <dd>{ticket.product.name}</dd>
        </>
      )}
      <dt>{t("ticket.channel")}</dt>
      <dd data-testid="ticket-channel">{t(`channel.${ticket.channel}`)}</dd>
      <dt>{t("ticket.requester")}</dt>
      <dd>{personName(ticket.requester)}</dd>
      <dt>{t("ticket.assignee")}</dt>
      <dd>{ticket.assignee ? personName(ticket.assignee) : t("ticket.unassigned")}</dd>
      {ticket.team && (
        <>
          <dt>{t("ticket.team")}</dt>
          <dd data-testid="ticket-team">{ticket.team.name}</dd>
        </>
      )}
      <dt>{t("ticket.created")}</dt>
      <dd>{formatDateTime(ticket.createdAt, locale, timeZone)}</dd>
      {/* The SLA's due times, in the reader's own time zone (the browser's). */}
      {!ticket.firstResponseAt && ticket.firstResponseDueAt && (
        <>
          <dt>{t("ticket.expectedAnswer")}</dt>
          <dd data-testid="expected-answer">{formatDateTime(ticket.firstResponseDueAt, locale, timeZone)}</dd>
        </>
      )}
      {ticket.resolutionDueAt && !FINISHED.has(ticket.status) && (
        <>
          <dt>{t("ticket.expectedResolution")}</dt>
          <dd data-testid="expected-resolution">{formatDateTime(ticket.resolutionDueAt, locale, timeZone)}</dd>
        </>
      )}
    </dl>
  );
}
