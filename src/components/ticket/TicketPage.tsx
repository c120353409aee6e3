"use client";
import type { ReactNode } from "react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { TicketMeta } from "./TicketMeta";
import { MergedNotice } from "./actions/MergedNotice";
import { TicketHistory, TicketThread } from "./TicketThread";
import { useLiveTicket } from "./useLiveTicket";
import { Loading } from "../ui/Loading";

/** The live ticket page both customers and agents see, with room for each one's own controls. */
export function TicketPage({
  number,
  belowThread,
  aside,
}: {
  number: number;
  belowThread: (ticket: TicketDetail, refresh: () => void) => ReactNode;
  aside?: (ticket: TicketDetail, refresh: () => void) => ReactNode;
}) {
  const { query, refresh } = useLiveTicket(number);
  if (query.error) return <p role="alert">{query.error.message}</p>;
  const ticket = query.data;
  if (!ticket) return <Loading label="loading.ticket" shape="ticket" />;
  const reload = () => void refresh();
  return (
    <div className="stack">
      <h1>
        #{ticket.number} · {ticket.subject}
      </h1>
      <MergedNotice ticket={ticket} />
      <div className="grid">
        <div className="stack">
          <TicketThread ticket={ticket} />
          {belowThread(ticket, reload)}
        </div>
        <aside className="stack">
          {aside?.(ticket, reload)}
          <TicketMeta ticket={ticket} />
          <TicketHistory ticket={ticket} />
        </aside>
      </div>
    </div>
  );
}
