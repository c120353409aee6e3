"use client";
import { useParams } from "next/navigation";
import { ReplyForm } from "~/components/ticket/ReplyForm";
import { TicketMeta } from "~/components/ticket/TicketMeta";
import { TicketHistory, TicketThread } from "~/components/ticket/TicketThread";
import { useLiveTicket } from "~/components/ticket/useLiveTicket";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

export default function CustomerTicketPage() {
  const { t } = useI18n();
  const number = Number(useParams<{ number: string }>().number);
  const { query, refresh } = useLiveTicket(number);
  const close = api.ticket.setStatus.useMutation({ onSuccess: () => void refresh() });
  if (query.error) return <p role="alert">{query.error.message}</p>;
  const ticket = query.data;
  if (!ticket) return null;
  const open = ticket.status !== "CLOSED" && ticket.status !== "REJECTED";
  return (
    <div className="stack">
      <h1>
        #{ticket.number} · {ticket.subject}
      </h1>
      <div className="grid">
        <div className="stack">
          <TicketThread ticket={ticket} />
          {open && <ReplyForm ticketId={ticket.id} allowInternal={false} onSent={() => void refresh()} />}
        </div>
        <aside className="stack">
          <TicketMeta ticket={ticket} />
          {open && (
            <button type="button" className="secondary" onClick={() => close.mutate({ ticketId: ticket.id, status: "CLOSED" })}>
              {t("ticket.close")}
            </button>
          )}
          <TicketHistory ticket={ticket} />
        </aside>
      </div>
    </div>
  );
}
