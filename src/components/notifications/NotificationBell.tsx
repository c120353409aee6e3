"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState, type MouseEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime, personName } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import type { NotificationRow } from "~/shared/schemas/notifications";
import { api } from "~/trpc/react";
import { TICKET_STATUSES, type TicketStatus } from "~/shared/enums";
import { relativeTime } from "./relative-time";
import { useNotificationHints } from "./useNotificationHints";

/**
 * The bell (agents', and customers' in the portal with `ticketsPath="/portal/tickets"`): a button that says how many notifications are unread ("Notificaciones, 3 sin
 * leer") and opens the list of the newest. A hint on the user's own socket room refreshes both.
 */
const isTicketStatus = (v: string | null): v is TicketStatus => (TICKET_STATUSES as readonly string[]).includes(v ?? "");

export function NotificationBell({ ticketsPath = "/agent/tickets" }: { ticketsPath?: string }) {
  const { t, locale, timeZone } = useI18n();
  const ids = useId();
  const router = useRouter();
  const utils = api.useUtils();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const count = api.notification.unreadCount.useQuery(undefined, { staleTime: 30_000 });
  const list = api.notification.list.useQuery({ limit: 20 }, { enabled: open });
  const markRead = api.notification.markRead.useMutation();
  const markAll = api.notification.markAllRead.useMutation();

  const refresh = useCallback(() => {
    void utils.notification.unreadCount.invalidate();
    void utils.notification.list.invalidate();
  }, [utils]);
  useNotificationHints(refresh);

  // Escape or a click elsewhere closes the panel; Escape gives the focus back to the bell.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onDown = (e: globalThis.MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onDown);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onDown);
    };
  }, [open]);

  async function openNotification(e: MouseEvent<HTMLAnchorElement>, n: NotificationRow) {
    // A modified click (new tab) is left to the browser; the notification stays unread until opened here.
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (!n.readAt) await markRead.mutateAsync({ id: n.id }).catch(() => null);
    refresh();
    setOpen(false);
    router.push(`${ticketsPath}/${n.ticket.number}`);
  }

  const unread = count.data ?? 0;
  const now = new Date();
  return (
    <div className="bell" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="secondary bell-button"
        aria-label={unread > 0 ? t("bell.labelUnread", { count: unread }) : t("bell.label")}
        aria-expanded={open}
        aria-controls={`${ids}-panel`}
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {unread > 0 && (
          <span className="bell-badge" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      <section id={`${ids}-panel`} className="bell-panel card stack" aria-labelledby={`${ids}-title`} hidden={!open}>
        <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
          <h2 id={`${ids}-title`} style={{ margin: 0 }}>
            {t("bell.title")}
          </h2>
          <button
            type="button"
            className="secondary small"
            disabled={unread === 0 || markAll.isPending}
            onClick={() => void markAll.mutateAsync().then(refresh, () => null)}
          >
            {t("bell.markAll")}
          </button>
        </div>
        <FormError error={list.error ?? markAll.error ?? markRead.error} />
        {list.isSuccess && list.data.length === 0 && <p className="muted">{t("bell.empty")}</p>}
        <ul className="plain bell-list">
          {list.data?.map((n) => (
            <li key={n.id} className={n.readAt ? "read" : "unread"}>
              <a href={`${ticketsPath}/${n.ticket.number}`} onClick={(e) => void openNotification(e, n)}>
                <span className="bell-text">
                  {!n.readAt && <span className="visually-hidden">{t("bell.unread")}: </span>}
                  {t(`bell.kinds.${n.kind}`, {
                    actor: personName(n.actor) || t("bell.someone"),
                    number: n.ticket.number,
                    status: isTicketStatus(n.detail) ? t(`status.${n.detail}`) : (n.detail ?? ""),
                  })}
                </span>
                <span className="bell-subject">{n.ticket.subject}</span>
                <time className="muted" dateTime={n.createdAt.toISOString()} title={formatDateTime(n.createdAt, locale, timeZone)}>
                  {relativeTime(n.createdAt, now, locale)}
                </time>
              </a>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
