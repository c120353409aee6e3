"use client";
import { useState, type FormEvent } from "react";
import { AttachmentPicker, uploadsPending } from "~/components/attachments/AttachmentPicker";
import { useAttachmentUploads } from "~/components/attachments/useAttachmentUploads";
import { EvaluationForm } from "~/components/ticket/actions/EvaluationForm";
import { TicketMeta } from "~/components/ticket/TicketMeta";
import { TicketHistory, TicketThread } from "~/components/ticket/TicketThread";
import { FormError } from "~/components/ui/FormError";
import { Loading } from "~/components/ui/Loading";
import { useHydrated } from "~/components/ui/useHydrated";
import { WritingHints } from "~/components/writing/WritingHints";
import { useI18n } from "~/i18n/react";
import { GUEST_FORGOT_ID_PATH, GUEST_NEW_TICKET_PATH } from "~/shared/guest-paths";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";

const GUEST_ACCESS_MINUTES = 30;

/**
 * "Ver Tickets existentes" (seed 001): the tracking ID and the address open the ticket's thread and
 * status, where the guest replies and evaluates. The access is a short-lived cookie for that ticket.
 */
export function GuestTracking({ initialId }: { initialId: string }) {
  const holds = api.guest.holds.useQuery(undefined, { retry: false });
  const utils = api.useUtils();
  const [notice, setNotice] = useState<string | null>(null);
  // What this page shows once the answer is in: the ticket (a right pair, or a cookie still valid) or the form.
  const [showing, setShowing] = useState<"ticket" | "form" | null>(null);
  const show = async (what: "ticket" | "form") => {
    await utils.guest.ticket.invalidate();
    setShowing(what);
    void utils.guest.holds.invalidate();
  };
  const current = showing ?? (holds.isLoading ? null : holds.data ? "ticket" : "form");
  if (!current) return <Loading label="loading.ticket" shape="ticket" />;
  if (current === "ticket") return <GuestTicketView notice={notice} setNotice={setNotice} onGone={() => show("form")} />;
  return <LookupForm initialId={initialId} onFound={() => show("ticket")} />;
}

function LookupForm({ initialId, onFound }: { initialId: string; onFound: () => Promise<void> }) {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const lookup = api.guest.lookup.useMutation({ onSuccess: () => onFound() });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    lookup.mutate({ trackingId: String(data.get("trackingId") ?? ""), email: String(data.get("email") ?? "") });
  }
  return (
    <section className="card stack" style={{ maxWidth: 560 }}>
      <h1>{t("guest.tracking.title")}</h1>
      <p>{t("guest.tracking.intro")}</p>
      <form className="stack" onSubmit={onSubmit} noValidate aria-label={t("guest.tracking.title")}>
        <div className="field">
          <label htmlFor="guest-tracking-id">{t("guest.tracking.trackingId")}</label>
          <input id="guest-tracking-id" name="trackingId" defaultValue={initialId} required autoComplete="off" spellCheck={false} maxLength={64} aria-describedby="guest-tracking-id-hint" />
          <span id="guest-tracking-id-hint" className="muted">
            {t("guest.tracking.trackingIdHint")}
          </span>
        </div>
        <div className="field">
          <label htmlFor="guest-tracking-email">{t("guest.tracking.email")}</label>
          <input id="guest-tracking-email" name="email" type="email" required autoComplete="email" maxLength={320} />
        </div>
        <FormError error={lookup.error} />
        <div>
          <button type="submit" disabled={!hydrated || lookup.isPending}>
            {lookup.isPending ? t("guest.tracking.searching") : t("guest.tracking.submit")}
          </button>
        </div>
      </form>
      <p className="muted">
        <a href={GUEST_FORGOT_ID_PATH}>{t("guest.links.forgot")}</a> · <a href={GUEST_NEW_TICKET_PATH}>{t("guest.links.newTicket")}</a>
      </p>
    </section>
  );
}

function GuestTicketView({ notice, setNotice, onGone }: { notice: string | null; setNotice: (n: string | null) => void; onGone: () => Promise<void> }) {
  const { t } = useI18n();
  const query = api.guest.ticket.useQuery(undefined, { retry: false });
  const leave = api.guest.leave.useMutation({ onSuccess: () => (setNotice(null), onGone()) });
  const evaluate = api.guest.evaluate.useMutation({ onSuccess: () => void query.refetch() });
  if (query.error) {
    return (
      <section className="card stack">
        <p role="alert">{query.error.message}</p>
        <div>
          <button type="button" onClick={() => leave.mutate()}>
            {t("guest.tracking.leave")}
          </button>
        </div>
      </section>
    );
  }
  const ticket = query.data;
  if (!ticket) return <Loading label="loading.ticket" shape="ticket" />;
  const open = ticket.status !== "CLOSED" && ticket.status !== "REJECTED";
  return (
    <div className="stack">
      <h1>{t("guest.tracking.heading", { number: ticket.number, subject: ticket.subject })}</h1>
      <p className="muted">{t("guest.tracking.accessNote", { minutes: GUEST_ACCESS_MINUTES })}</p>
      {notice && <p role="status">{notice}</p>}
      <div className="grid">
        <div className="stack">
          <TicketThread ticket={ticket} />
          {!ticket.mergedInto && (
            <>
              {!open && <p className="muted">{t("ticket.followUpHint")}</p>}
              {open && <p className="muted">{t("guest.tracking.replyHint")}</p>}
              <GuestReplyForm
                onSent={(followUp) => {
                  if (followUp) setNotice(t("guest.tracking.followUp", followUp));
                  void query.refetch();
                }}
              />
            </>
          )}
          {!ticket.mergedInto && (ticket.status === "RESOLVED" || ticket.status === "CLOSED") && (
            <EvaluationForm
              current={ticket.evaluation}
              pending={evaluate.isPending}
              error={evaluate.error}
              onAnswer={(helpful, comment) => evaluate.mutateAsync({ helpful, comment })}
            />
          )}
        </div>
        <aside className="stack">
          <TicketMeta ticket={ticket as TicketDetail} />
          <TicketHistory ticket={ticket as TicketDetail} />
          <div>
            <button type="button" className="secondary" onClick={() => leave.mutate()}>
              {t("guest.tracking.leave")}
            </button>
          </div>
        </aside>
      </div>
    </div>
  );
}

function GuestReplyForm({ onSent }: { onSent: (followUp: { number: number; trackingId: string } | null) => void }) {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const [body, setBody] = useState("");
  const uploads = useAttachmentUploads(t);
  const draft = api.guest.draft.useMutation();
  const [clientRequestId, setClientRequestId] = useState(() => crypto.randomUUID());
  const reply = api.guest.reply.useMutation({
    onSuccess: (sent) => {
      setBody("");
      uploads.clear();
      setClientRequestId(crypto.randomUUID());
      onSent(sent.followUp);
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (uploads.busy) return;
    reply.mutate({ body, clientRequestId, attachmentIds: uploads.ids });
  }
  return (
    <form className="stack card" data-reply-form onSubmit={onSubmit}>
      <fieldset className="stack bare" disabled={!hydrated}>
        <label>
          {t("ticket.reply")}
          <textarea value={body} onChange={(e) => setBody(e.target.value)} required />
        </label>
        <WritingHints text={body} />
        {/* The draft cookie is asked for when a file is first picked: only then does this browser need one. */}
        <AttachmentPicker
          uploads={{ ...uploads, add: (files) => void draft.mutateAsync().then(() => uploads.add(files), () => undefined) }}
        />
        {uploadsPending(uploads, t) && <p className="muted">{uploadsPending(uploads, t)}</p>}
        <FormError error={reply.error} />
        <div>
          <button type="submit" disabled={reply.isPending || uploads.busy}>
            {t("ticket.replySubmit")}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
