"use client";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { BulkBar } from "~/components/queue/BulkBar";
import { QueueTable } from "~/components/queue/QueueTable";
import { QueueViews } from "~/components/queue/QueueViews";
import { useLiveQueue } from "~/components/queue/useLiveQueue";
import { PersonOptions, PriorityOptions, StatusOptions, TeamOptions } from "~/components/ui/EnumOptions";
import { LiveIndicator } from "~/components/ui/LiveIndicator";
import { ShortcutsDialog } from "~/components/ui/ShortcutsDialog";
import { useShortcuts, type Shortcut } from "~/components/ui/useShortcuts";
import { useI18n } from "~/i18n/react";
import { CHANNELS, type Channel, type Priority, type TicketStatus } from "~/shared/enums";
import { QUEUE_PAGE_MAX, QUEUE_SORTS, QUEUE_VIEWS, type QueueSort, type QueueView } from "~/shared/queue";
import { api } from "~/trpc/react";

const SEARCH_DEBOUNCE_MS = 300;

export default function AgentQueue() {
  const { t, locale } = useI18n();
  const router = useRouter();
  const [view, setView] = useState<QueueView>("unassigned");
  const [searchText, setSearchText] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<TicketStatus | "">("");
  const [priority, setPriority] = useState<Priority | "">("");
  const [categoryId, setCategoryId] = useState("");
  const [channel, setChannel] = useState<Channel | "">("");
  const [assignee, setAssignee] = useState("");
  const [team, setTeam] = useState("");
  const [sort, setSort] = useState<QueueSort>("oldest");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(-1);
  const [helpOpen, setHelpOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const id = setTimeout(() => setSearch(searchText.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [searchText]);

  const filters = {
    ...(status ? { status: [status] } : {}),
    ...(priority ? { priority: [priority] } : {}),
    ...(categoryId ? { categoryId: [categoryId] } : {}),
    ...(channel ? { channel: [channel] } : {}),
    ...(assignee ? { assignee } : {}),
    ...(team ? { team } : {}),
  };
  const live = useLiveQueue();
  const utils = api.useUtils();
  const refresh = () => {
    void utils.ticket.queue.invalidate();
    void utils.ticket.queueCounts.invalidate();
  };
  const agents = api.user.agents.useQuery();
  const teams = api.team.list.useQuery();
  const categories = api.ticket.categories.useQuery();
  const counts = api.ticket.queueCounts.useQuery(filters);
  const list = api.ticket.queue.useInfiniteQuery(
    { view, sort, limit: QUEUE_PAGE_MAX, ...(search ? { search } : {}), ...filters },
    { getNextPageParam: (last) => last.nextCursor },
  );
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const numbers = useMemo(() => new Map(items.map((i) => [i.id, i.number])), [items]);
  // New tickets (live hints) that the loaded rows do not show.
  const unseen = list.isFetching ? 0 : live.newIds.filter((id) => !numbers.has(id)).length;

  // A new view, filter or search starts a new selection.
  const queryKey = JSON.stringify([view, sort, search, filters]);
  const { forget } = live;
  useEffect(() => {
    setSelected(new Set());
    setActive(-1);
    forget();
  }, [queryKey, forget]);

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = (checked: boolean) => setSelected(checked ? new Set(items.map((i) => i.id)) : new Set());
  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(items.length - 1, index));
    tableRef.current?.querySelector<HTMLElement>(`tr[data-index="${i}"] a[data-row-link]`)?.focus();
  };
  const activeItem = items[active];

  const shortcuts: Shortcut[] = [
    { keys: ["j"], description: t("queue.key.next"), run: () => focusRow(active + 1) },
    { keys: ["k"], description: t("queue.key.previous"), run: () => focusRow(active - 1) },
    { keys: ["x"], description: t("queue.key.select"), run: () => activeItem && toggle(activeItem.id) },
    {
      keys: ["Enter", "o"],
      description: t("queue.key.open"),
      // Enter keeps its own meaning on buttons and links (a row's link opens its ticket by itself).
      when: (e) => e.key !== "Enter" || !(e.target instanceof HTMLElement) || !e.target.closest("a, button, summary, dialog"),
      run: () => activeItem && router.push(`/agent/tickets/${activeItem.number}`),
    },
    { keys: ["/"], description: t("queue.key.search"), run: () => searchRef.current?.focus() },
    { keys: ["r"], description: t("queue.key.refresh"), run: live.reload },
    {
      keys: QUEUE_VIEWS.map((_, i) => String(i + 1)),
      label: `1 … ${QUEUE_VIEWS.length}`,
      description: t("queue.key.views"),
      run: (e) => setView(QUEUE_VIEWS[Number(e.key) - 1]!),
    },
    { keys: ["*"], description: t("queue.key.selectAll"), run: () => toggleAll(true) },
    { keys: ["Escape"], description: t("queue.key.clear"), run: () => setSelected(new Set()) },
    { keys: ["?"], description: t("queue.key.help"), run: () => setHelpOpen(true) },
  ];
  useShortcuts(shortcuts, !helpOpen);

  return (
    <div className="stack queue">
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <h1>{t("queue.title")}</h1>
        <div className="row" style={{ alignItems: "center" }}>
          <a className="button" href="/agent/tickets/new">
            {t("queue.newTicket")}
          </a>
          <button type="button" className="secondary" aria-keyshortcuts="?" onClick={() => setHelpOpen(true)}>
            {t("queue.shortcutsButton")} <kbd aria-hidden="true">?</kbd>
          </button>
          <LiveIndicator />
        </div>
      </div>
      <QueueViews view={view} counts={counts.data} onChange={setView} />
      <div role="search" className="row card queue-filters" aria-label={t("queue.filters")}>
        <label className="queue-search">
          {t("queue.search")}
          <input ref={searchRef} type="search" value={searchText} maxLength={200} placeholder={t("queue.searchHint")} onChange={(e) => setSearchText(e.target.value)} />
        </label>
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
          {t("queue.filterCategory")}
          <select value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
            <option value="">{t("queue.all")}</option>
            {categories.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {locale === "es" ? c.nameEs : c.nameEn}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("queue.filterAssignee")}
          <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">{t("queue.all")}</option>
            <option value="me">{t("queue.me")}</option>
            <option value="none">{t("queue.unassigned")}</option>
            <option value="deactivated">{t("people.queueDeactivated")}</option>
            <PersonOptions people={agents.data} />
          </select>
        </label>
        <label>
          {t("queue.filterTeam")}
          <select value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">{t("queue.all")}</option>
            <option value="mine">{t("queue.myTeams")}</option>
            <option value="none">{t("queue.noTeam")}</option>
            <TeamOptions teams={teams.data} />
          </select>
        </label>
        <label>
          {t("queue.filterChannel")}
          <select value={channel} onChange={(e) => setChannel(e.target.value as Channel | "")}>
            <option value="">{t("queue.all")}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("queue.sort")}
          <select value={sort} onChange={(e) => setSort(e.target.value as QueueSort)}>
            {QUEUE_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`queue.sortBy.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div aria-live="polite" className="queue-new">
        {unseen > 0 && (
          <p className="notice">
            {unseen === 1 ? t("queue.newTicket1") : t("queue.newTickets", { count: unseen })}{" "}
            <button type="button" className="secondary" onClick={live.reload}>
              {t("queue.showNew")}
            </button>
          </p>
        )}
      </div>
      <BulkBar selected={[...selected]} numbers={numbers} agents={agents.data} teams={teams.data} onDone={refresh} onClear={() => setSelected(new Set())} />
      <div ref={tableRef}>
        {list.isSuccess && items.length === 0 ? (
          <p className="muted">{t("queue.empty")}</p>
        ) : (
          <QueueTable items={items} selected={selected} onToggle={toggle} onToggleAll={toggleAll} onFocusRow={setActive} />
        )}
      </div>
      {list.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void list.fetchNextPage()}>
          {t("queue.loadMore")}
        </button>
      )}
      <ShortcutsDialog shortcuts={shortcuts} open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
