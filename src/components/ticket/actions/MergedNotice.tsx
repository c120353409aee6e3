"use client";
import { usePathname } from "next/navigation";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";

/** On a merged duplicate (agent and portal alike): where the conversation goes on; on a follow-up, the ticket it continues. Links stay on the same side of the app. */
export function MergedNotice({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const base = usePathname().replace(/\/[^/]*$/, "");
  if (ticket.mergedInto) {
    const n = ticket.mergedInto.number;
    return (
      <p role="status" className="card">
        {t("actions.mergedInto")} <a href={`${base}/${n}`}>#{n}</a>
      </p>
    );
  }
  if (!ticket.parentTicket) return null;
  const n = ticket.parentTicket.number;
  return (
    <p className="card">
      {t("actions.followUpOf")} <a href={`${base}/${n}`}>#{n}</a>
    </p>
  );
}
