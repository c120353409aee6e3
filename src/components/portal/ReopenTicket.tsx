"use client";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime } from "~/components/ui/format";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";

/**
 * "Reabrir ticket" on the requester's resolved ticket, while the reopen window lasts (the rule mail
 * follows: tickets/reply-rule.ts reopenWindow). The reason is required and becomes their message in the
 * thread. Past the window the button gives way to the follow-up path: a reply opens a linked ticket.
 */
export function ReopenTicket({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const { t, locale, timeZone } = useI18n();
  const ids = useId();
  const router = useRouter();
  const hydrated = useHydrated();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [done, setDone] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const resolved = ticket.status === "RESOLVED" && !ticket.mergedInto;
  const state = api.portal.reopenState.useQuery({ ticketId: ticket.id }, { enabled: resolved, retry: false });
  const reopen = api.portal.reopen.useMutation({
    onSuccess: (r) => {
      setAsking(false);
      setReason("");
      if (!r.reopened) router.push(`/portal/tickets/${r.number}`);
      else {
        setDone(true);
        onDone();
      }
    },
  });

  if (done && ticket.status !== "RESOLVED") {
    return (
      <p role="status" className="notice">
        {t("myTickets.reopen.done")}
      </p>
    );
  }
  if (!resolved || !state.data) return null;
  if (!state.data.open) return <p className="muted">{t("myTickets.reopen.windowPassed")}</p>;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    reopen.mutate({ ticketId: ticket.id, reason });
  }

  const until = state.data.until;
  return (
    <section className="card stack reopen-ticket" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} style={{ margin: 0 }}>
        {t("myTickets.reopen.title")}
      </h2>
      <p className="muted" style={{ margin: 0 }}>
        {until ? t("myTickets.reopen.intro", { until: formatDateTime(until, locale, timeZone) }) : t("myTickets.reopen.introNoLimit")}
      </p>
      {!asking ? (
        <div>
          <button
            type="button"
            className="secondary"
            disabled={!hydrated}
            onClick={() => {
              setAsking(true);
              requestAnimationFrame(() => reasonRef.current?.focus());
            }}
          >
            {t("myTickets.reopen.button")}
          </button>
        </div>
      ) : (
        <form className="stack" onSubmit={onSubmit}>
          <label>
            {t("myTickets.reopen.reason")} *
            <textarea ref={reasonRef} value={reason} required maxLength={50_000} onChange={(e) => setReason(e.target.value)} aria-invalid={!!reopen.error} />
          </label>
          <FormError error={reopen.error} />
          <div className="row">
            <button type="submit" disabled={!hydrated || reopen.isPending || !reason.trim()}>
              {reopen.isPending ? t("myTickets.reopen.sending") : t("myTickets.reopen.submit")}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              {t("myTickets.reopen.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
