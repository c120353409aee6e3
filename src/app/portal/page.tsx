"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useDebounced } from "~/components/kb/useDebounced";
import { MyTicketsList } from "~/components/portal/MyTicketsList";
import { DEFLECTED_PARAM } from "~/components/portal/paths";
import { PortalIntro } from "~/components/portal/PortalIntro";
import { WAITING_LINE_REFRESH_MS, useLiveMyTickets } from "~/components/portal/useLiveMyTickets";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { MY_TICKET_FILTERS, MY_TICKET_SCOPES, type MyTicketFilter } from "~/shared/schemas/portal";

type MyTicketScope = (typeof MY_TICKET_SCOPES)[number];
import { api } from "~/trpc/react";

export default function PortalHome() {
  const { t } = useI18n();
  const ids = useId();
  const [filter, setFilter] = useState<MyTicketFilter>("all");
  // Offered only when the customer's organization shares its tickets (/admin/organizaciones).
  const [scope, setScope] = useState<MyTicketScope>("mine");
  const organization = api.people.myOrganization.useQuery();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const [deflected, setDeflected] = useState(false);
  useEffect(() => setDeflected(new URLSearchParams(window.location.search).get(DEFLECTED_PARAM) === "1"), []);
  useLiveMyTickets();
  const list = api.portal.myTickets.useInfiniteQuery(
    { filter, scope: organization.data ? scope : "mine", q: q || undefined, limit: 25 },
    { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData, refetchInterval: WAITING_LINE_REFRESH_MS },
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const empty = q ? t("myTickets.noMatches") : filter === "open" ? t("myTickets.emptyOpen") : filter === "closed" ? t("myTickets.emptyClosed") : t("portal.empty");
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <h1 style={{ margin: 0 }}>{t("portal.title")}</h1>
        <a className="button" href="/portal/tickets/new">
          {t("portal.create")}
        </a>
      </div>
      <PortalIntro page="home" />
      {deflected && (
        <p role="status" className="notice">
          {t("myTickets.deflected")}
        </p>
      )}
      <p className="muted">
        {t("kb.portalHint")} <a href="/kb">{t("kb.portalLink")}</a>.
      </p>
      <div className="my-tickets-tools">
        {organization.data && (
          <fieldset>
            <legend>{t("people.myTickets.scope")}</legend>
            {MY_TICKET_SCOPES.map((s) => (
              <label key={s} className="inline">
                <input type="radio" name={`${ids}-scope`} value={s} checked={scope === s} onChange={() => setScope(s)} />{" "}
                {s === "mine" ? t("people.myTickets.mine") : t("people.myTickets.organization", { name: organization.data!.name })}
              </label>
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend>{t("myTickets.filterLabel")}</legend>
          {MY_TICKET_FILTERS.map((f) => (
            <label key={f} className="inline">
              <input type="radio" name={`${ids}-filter`} value={f} checked={filter === f} onChange={() => setFilter(f)} /> {t(`myTickets.filters.${f}`)}
            </label>
          ))}
        </fieldset>
        <label className="search">
          {t("myTickets.search")}
          <input type="search" value={search} placeholder={t("myTickets.searchPlaceholder")} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      <FormError error={list.error} />
      {list.isSuccess && items.length === 0 ? <p className="muted">{empty}</p> : <MyTicketsList items={items} />}
      {list.hasNextPage && (
        <div>
          <button type="button" className="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("queue.loadMore")}
          </button>
        </div>
      )}
    </div>
  );
}
