"use client";
import { useState } from "react";
import { TicketTable } from "~/components/ticket/TicketTable";
import { useLiveTicketList } from "~/components/ticket/useLiveTicket";
import { LiveIndicator } from "~/components/ui/LiveIndicator";
import { PersonOptions, PriorityOptions, StatusOptions } from "~/components/ui/EnumOptions";
import { useI18n } from "~/i18n/react";
import type { Priority, TicketStatus } from "~/shared/enums";
import { api } from "~/trpc/react";

export default function AgentQueue() {
  const { t } = useI18n();
  const [status, setStatus] = useState<TicketStatus | "">("");
  const [priority, setPriority] = useState<Priority | "">("");
  const [assignee, setAssignee] = useState("");
  useLiveTicketList();
  const agents = api.user.agents.useQuery();
  const list = api.ticket.list.useInfiniteQuery(
    {
      limit: 50,
      ...(status ? { status: [status] } : {}),
      ...(priority ? { priority: [priority] } : {}),
      ...(assignee ? { assignee } : {}),
    },
    { getNextPageParam: (last) => last.nextCursor },
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <h1>{t("queue.title")}</h1>
        <div className="row" style={{ alignItems: "center" }}>
          <a className="button" href="/agent/tickets/new">
            {t("queue.newTicket")}
          </a>
          <LiveIndicator />
        </div>
      </div>
      <div className="row card">
        <label>
          {t("queue.filterStatus")}
          <select value={status} onChange={(e) => setStatus(e.target.value as TicketStatus | "")}>
            <option value="">{t("queue.all")}</option>
            <StatusOptions />
          </select>
        </label>
        <label>
          {t("queue.filterPriority")}
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority | "")}>
            <option value="">{t("queue.all")}</option>
            <PriorityOptions />
          </select>
        </label>
        <label>
          {t("queue.filterAssignee")}
          <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">{t("queue.all")}</option>
            <option value="me">{t("queue.me")}</option>
            <option value="none">{t("queue.unassigned")}</option>
            <PersonOptions people={agents.data} />
          </select>
        </label>
      </div>
      {list.isSuccess && items.length === 0 ? <p className="muted">{t("queue.empty")}</p> : <TicketTable items={items} hrefBase="/agent/tickets" showPeople />}
      {list.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void list.fetchNextPage()}>
          {t("queue.loadMore")}
        </button>
      )}
    </div>
  );
}
