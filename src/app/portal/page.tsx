"use client";
import { TicketTable } from "~/components/ticket/TicketTable";
import { useLiveTicketList } from "~/components/ticket/useLiveTicket";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

export default function PortalHome() {
  const { t } = useI18n();
  useLiveTicketList();
  const list = api.ticket.list.useInfiniteQuery({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>{t("portal.title")}</h1>
        <a href="/portal/tickets/new">{t("portal.create")}</a>
      </div>
      <p className="muted">
        {t("kb.portalHint")} <a href="/kb">{t("kb.portalLink")}</a>.
      </p>
      {list.isSuccess && items.length === 0 ? <p className="muted">{t("portal.empty")}</p> : <TicketTable items={items} hrefBase="/portal/tickets" showPeople={false} />}
      {list.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void list.fetchNextPage()}>
          {t("queue.loadMore")}
        </button>
      )}
    </div>
  );
}
