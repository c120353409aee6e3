"use client";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

export default function MailboxPage() {
  const { t, locale } = useI18n();
  const utils = api.useUtils();
  const mails = api.admin.mailbox.useQuery({ limit: 100 }, { refetchInterval: 5000 });
  const loops = api.admin.mailLoops.useQuery(undefined, { refetchInterval: 5000 });
  const refresh = () => {
    void utils.admin.mailLoops.invalidate();
    void utils.admin.mailbox.invalidate();
  };
  const release = api.admin.releaseHeldEmail.useMutation({ onSettled: refresh });
  const dismiss = api.admin.dismissAlert.useMutation({ onSettled: refresh });
  const alerts = loops.data?.alerts ?? [];
  const held = loops.data?.held ?? [];
  return (
    <div className="stack">
      <h1>{t("mailbox.title")}</h1>
      <FormError error={release.error ?? dismiss.error} />

      {alerts.length > 0 && (
        <section className="stack" aria-labelledby="mail-loop-alerts">
          <h2 id="mail-loop-alerts">{t("mailbox.loops.alertsTitle")}</h2>
          {alerts.map((a) => (
            <div key={a.id} role="alert" className="card error" data-testid="mail-loop-alert">
              <p>
                {a.scope === "ticket"
                  ? t("mailbox.loops.alertTicket", { number: a.number ?? "—", max: a.max, minutes: a.minutes })
                  : t("mailbox.loops.alertTo", { to: a.to, max: a.max, minutes: a.minutes })}{" "}
                {a.held === 1 ? t("mailbox.loops.heldCountOne") : t("mailbox.loops.heldCount", { count: a.held })} ·{" "}
                {formatDateTime(a.createdAt, locale)}
              </p>
              <button type="button" className="secondary" disabled={dismiss.isPending} onClick={() => dismiss.mutate({ id: a.id })}>
                {t("mailbox.loops.dismiss")}
              </button>
            </div>
          ))}
        </section>
      )}

      {(held.length > 0 || alerts.length > 0) && (
        <section className="stack" aria-labelledby="held-mail">
          <h2 id="held-mail">{t("mailbox.loops.heldTitle")}</h2>
          <p className="muted">{t("mailbox.loops.heldHint")}</p>
          {held.length === 0 ? (
            <p className="muted">{t("mailbox.loops.heldNone")}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("mailbox.loops.created")}</th>
                  <th scope="col">{t("mailbox.to")}</th>
                  <th scope="col">{t("mailbox.subject")}</th>
                  <th scope="col">{t("mailbox.loops.ticket")}</th>
                  <th scope="col">{t("mailbox.loops.reason")}</th>
                  <th scope="col">{t("mailbox.loops.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {held.map((m) => (
                  <tr key={m.id} data-testid="held-mail">
                    <td>{formatDateTime(m.createdAt, locale)}</td>
                    <td>{m.to}</td>
                    <td>{m.subject}</td>
                    <td>{m.ticket ? `#${m.ticket.number}` : "—"}</td>
                    <td>{t(`mailbox.loops.reasons.${m.scope}`)}</td>
                    <td>
                      <button type="button" disabled={release.isPending} onClick={() => release.mutate({ id: m.id })}>
                        {t("mailbox.loops.release")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {mails.data?.length === 0 && <p className="muted">{t("mailbox.empty")}</p>}
      {mails.data?.map((m) => (
        <details key={m.id} className="card">
          <summary>
            <strong>{m.subject}</strong> · {t("mailbox.to")}: {m.to} · {t("mailbox.status")}: {t(`mailbox.statuses.${m.status}`)}
            {m.lastError ? ` (${m.lastError})` : ""} · {formatDateTime(m.createdAt, locale)}
          </summary>
          <pre style={{ whiteSpace: "pre-wrap" }}>{m.text}</pre>
        </details>
      ))}
    </div>
  );
}
