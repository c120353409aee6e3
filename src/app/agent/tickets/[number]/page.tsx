"use client";
import { useParams } from "next/navigation";
import { ReplyForm } from "~/components/ticket/ReplyForm";
import { TicketMeta } from "~/components/ticket/TicketMeta";
import { TicketHistory, TicketThread } from "~/components/ticket/TicketThread";
import { useLiveTicket } from "~/components/ticket/useLiveTicket";
import { personName } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { TICKET_STATUSES, type TicketStatus } from "~/shared/enums";
import { api } from "~/trpc/react";

export default function AgentTicketPage() {
  const { t } = useI18n();
  const number = Number(useParams<{ number: string }>().number);
  const { query, refresh } = useLiveTicket(number);
  const agents = api.user.agents.useQuery();
  const setStatus = api.ticket.setStatus.useMutation({ onSuccess: () => void refresh() });
  const assign = api.ticket.assign.useMutation({ onSuccess: () => void refresh() });
  if (query.error) return <p role="alert">{query.error.message}</p>;
  const ticket = query.data;
  if (!ticket) return null;
  const error = setStatus.error ?? assign.error;

  return (
    <div className="stack">
      <h1>
        #{ticket.number} · {ticket.subject}
      </h1>
      <div className="grid">
        <div className="stack">
          <TicketThread ticket={ticket} />
          <ReplyForm ticketId={ticket.id} allowInternal onSent={() => void refresh()} />
        </div>
        <aside className="stack">
          <div className="card stack">
            <label>
              {t("ticket.changeStatus")}
              <select
                value={ticket.status}
                disabled={setStatus.isPending}
                onChange={(e) => setStatus.mutate({ ticketId: ticket.id, status: e.target.value as TicketStatus })}
              >
                {TICKET_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("ticket.assignTo")}
              <select
                value={ticket.assignee?.id ?? ""}
                disabled={assign.isPending}
                onChange={(e) => assign.mutate({ ticketId: ticket.id, assigneeId: e.target.value || null })}
              >
                <option value="">{t("ticket.unassigned")}</option>
                {agents.data?.map((a) => (
                  <option key={a.id} value={a.id}>
                    {personName(a)}
                  </option>
                ))}
              </select>
            </label>
            {error && (
              <p role="alert" className="error">
                {error.message}
              </p>
            )}
          </div>
          <TicketMeta ticket={ticket} />
          <TicketHistory ticket={ticket} />
        </aside>
      </div>
    </div>
  );
}
