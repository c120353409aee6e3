"use client";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "~/shared/webhooks";
import { api } from "~/trpc/react";

type ClientError = { message: string };
type Hook = { id: string; url: string; description: string; events: string[]; includeInternalNotes: boolean; active: boolean; pending: number; failed: number };

const eventKey = (e: string) => e.replace(".", "_") as "ticket_created";

// Shown as is: a receiver's code is not translated.
const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from "node:crypto";

// rawBody: the request body exactly as received (a string or Buffer, before JSON.parse).
export function verifyVentanilla(secret, header, rawBody, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=")));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(\`\${t}.\${rawBody}\`).digest("hex"));
  const given = Buffer.from(parts.v1 ?? "");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// secret: the whsec_… shown once when the webhook was created (kept in your own configuration).
// verifyVentanilla(secret, req.headers["ventanilla-signature"], rawBody)`;

/** Admin: webhooks, their secret (shown once), their delivery log and redelivery by hand. */
export default function WebhooksPage() {
  const { t, locale } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const list = api.webhook.list.useQuery(undefined, { refetchInterval: 10_000 });
  const update = api.webhook.update.useMutation();
  const rotate = api.webhook.rotateSecret.useMutation();
  const remove = api.webhook.delete.useMutation();
  const [secret, setSecret] = useState<{ url: string; value: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [confirming, setConfirming] = useState<Hook | null>(null);
  const [showing, setShowing] = useState<Hook | null>(null);
  const [editing, setEditing] = useState<Hook | null>(null);

  async function run(action: () => Promise<void>) {
    setNotice(null);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err as ClientError);
    } finally {
      await utils.webhook.list.invalidate();
    }
  }

  const busy = update.isPending || rotate.isPending || remove.isPending;
  const hooks = (list.data ?? []) as Hook[];

  return (
    <div className="stack">
      <h1>{t("webhooks.title")}</h1>
      <p className="muted">{t("webhooks.intro")}</p>
      <FormError error={list.error} />

      {secret && (
        <section className="stack card" aria-labelledby={`${ids}-secret`}>
          <h2 id={`${ids}-secret`}>{t("webhooks.secretTitle")}</h2>
          <p role="status">{t("webhooks.secretOnce")}</p>
          <label htmlFor={`${ids}-secret-value`}>{t("webhooks.secretFor", { url: secret.url })}</label>
          <input id={`${ids}-secret-value`} readOnly value={secret.value} onFocus={(e) => e.currentTarget.select()} style={{ fontFamily: "monospace" }} />
          <div>
            <button type="button" className="secondary" onClick={() => setSecret(null)}>
              {t("webhooks.secretDone")}
            </button>
          </div>
        </section>
      )}

      {editing ? (
        <WebhookForm
          key={editing.id}
          editing={editing}
          onCancel={() => setEditing(null)}
          onSaved={async () => {
            setError(null);
            setEditing(null);
            if (showing?.id === editing.id) setShowing(null);
            setNotice(t("webhooks.saved"));
            await utils.webhook.list.invalidate();
          }}
        />
      ) : (
        <WebhookForm
          onSaved={async ({ url, secret: value }) => {
            setError(null);
            if (value) setSecret({ url, value });
            setNotice(t("webhooks.created"));
            await utils.webhook.list.invalidate();
          }}
        />
      )}

      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{t("webhooks.list")}</h2>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <FormError error={error} />
        <ConfirmDialog
          open={!!confirming}
          message={confirming && t("webhooks.confirmRemove", { url: confirming.url })}
          confirmLabel={t("webhooks.confirmRemoveYes")}
          cancelLabel={t("webhooks.cancel")}
          busy={busy}
          onConfirm={() =>
            confirming &&
            void run(async () => {
              await remove.mutateAsync({ id: confirming.id });
              if (showing?.id === confirming.id) setShowing(null);
              if (editing?.id === confirming.id) setEditing(null);
              setConfirming(null);
              setNotice(t("webhooks.removed"));
            })
          }
          onCancel={() => setConfirming(null)}
        />
        {list.isSuccess && hooks.length === 0 ? (
          <p className="muted">{t("webhooks.empty")}</p>
        ) : (
          <table aria-labelledby={`${ids}-list`}>
            <thead>
              <tr>
                <th scope="col">{t("webhooks.colUrl")}</th>
                <th scope="col">{t("webhooks.colEvents")}</th>
                <th scope="col">{t("webhooks.colState")}</th>
                <th scope="col">{t("webhooks.colQueue")}</th>
                <th scope="col">{t("webhooks.colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {hooks.map((h) => (
                <tr key={h.id}>
                  <th scope="row" style={{ overflowWrap: "anywhere" }}>
                    {h.url}
                    {h.description && <div className="muted">{h.description}</div>}
                  </th>
                  <td>
                    {h.events.map((e) => t(`webhooks.eventNames.${eventKey(e)}`)).join(", ")}
                    {h.includeInternalNotes && <span className="muted"> ({t("webhooks.internalToo")})</span>}
                  </td>
                  <td>
                    <span className="badge">{h.active ? t("webhooks.stateActive") : t("webhooks.stateInactive")}</span>
                  </td>
                  <td>
                    {h.pending} / {h.failed}
                  </td>
                  <td>
                    <div className="row" style={{ gap: ".4rem", flexWrap: "wrap" }}>
                      <button type="button" className="secondary small" aria-label={`${t("webhooks.showDeliveries")}: ${h.url}`} onClick={() => setShowing(h)}>
                        {t("webhooks.showDeliveries")}
                      </button>
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`${t("webhooks.edit")}: ${h.url}`}
                        onClick={() => {
                          setNotice(null);
                          setEditing(h);
                        }}
                      >
                        {t("webhooks.edit")}
                      </button>
                      <button
                        type="button"
                        className="secondary small"
                        disabled={busy}
                        onClick={() =>
                          void run(async () => {
                            await update.mutateAsync({ id: h.id, active: !h.active });
                            setNotice(t(h.active ? "webhooks.deactivated" : "webhooks.activated"));
                          })
                        }
                      >
                        {h.active ? t("webhooks.deactivate") : t("webhooks.activate")}
                      </button>
                      <button
                        type="button"
                        className="secondary small"
                        disabled={busy}
                        onClick={() =>
                          void run(async () => {
                            const r = await rotate.mutateAsync({ id: h.id });
                            setSecret({ url: h.url, value: r.secret });
                            setNotice(t("webhooks.rotated"));
                          })
                        }
                      >
                        {t("webhooks.rotate")}
                      </button>
                      <button type="button" className="danger small" disabled={busy} onClick={() => setConfirming(h)}>
                        {t("webhooks.remove")}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {showing && <Deliveries key={showing.id} hook={showing} locale={locale} />}

      <section className="stack" aria-labelledby={`${ids}-verify`}>
        <h2 id={`${ids}-verify`}>{t("webhooks.verifyTitle")}</h2>
        <p>{t("webhooks.verifyIntro")}</p>
        <pre tabIndex={0} aria-label={t("webhooks.verifyTitle")} style={{ overflowX: "auto" }}>
          <code>{VERIFY_SNIPPET}</code>
        </pre>
      </section>
    </div>
  );
}

type FormValues = { url: string; description: string; events: WebhookEventType[]; includeInternalNotes: boolean; active: boolean };

const NEW_HOOK: FormValues = { url: "", description: "", events: ["ticket.created", "ticket.updated", "message.created"], includeInternalNotes: false, active: true };

/**
 * A webhook's settings: empty for a new one, filled with an existing one's to edit it (its URL is
 * checked again by the server's SSRF guard when saved; the change goes to the audit log).
 */
function WebhookForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing?: Hook;
  onSaved: (result: { url: string; secret?: string }) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const ids = useId();
  const create = api.webhook.create.useMutation();
  const update = api.webhook.update.useMutation();
  const [values, setValues] = useState<FormValues>(
    editing
      ? { url: editing.url, description: editing.description, events: editing.events as WebhookEventType[], includeInternalNotes: editing.includeInternalNotes, active: editing.active }
      : NEW_HOOK,
  );
  const [error, setError] = useState<ClientError | null>(null);
  const set = (patch: Partial<FormValues>) => setValues((cur) => ({ ...cur, ...patch }));
  const pending = create.isPending || update.isPending;
  const urlInput = useRef<HTMLInputElement>(null);
  // Opened from a row's «Editar»: the keyboard goes on in the form.
  useEffect(() => {
    if (editing) urlInput.current?.focus();
  }, [editing]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      if (editing) {
        const saved = await update.mutateAsync({ id: editing.id, ...values });
        await onSaved({ url: saved.url });
      } else {
        const { active: _active, ...input } = values;
        const r = await create.mutateAsync(input);
        setValues(NEW_HOOK);
        await onSaved({ url: r.webhook.url, secret: r.secret });
      }
    } catch (err) {
      setError(err as ClientError);
    }
  }

  const title = editing ? t("webhooks.editTitle", { url: editing.url }) : t("webhooks.createTitle");
  return (
    <section className={editing ? "stack card" : "stack"} aria-labelledby={`${ids}-form`}>
      <h2 id={`${ids}-form`} style={{ overflowWrap: "anywhere" }}>
        {title}
      </h2>
      <form className="stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby={`${ids}-form`}>
        <div className="field">
          <label htmlFor={`${ids}-url`}>{t("webhooks.url")}</label>
          <input ref={urlInput} id={`${ids}-url`} type="url" required value={values.url} onChange={(e) => set({ url: e.target.value })} aria-describedby={`${ids}-url-hint`} placeholder="https://" />
          <p id={`${ids}-url-hint`} className="muted">
            {t("webhooks.urlHint")}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-description`}>{t("webhooks.description")}</label>
          <input id={`${ids}-description`} value={values.description} maxLength={200} onChange={(e) => set({ description: e.target.value })} />
        </div>
        <fieldset>
          <legend>{t("webhooks.events")}</legend>
          {WEBHOOK_EVENT_TYPES.map((ev) => (
            <label key={ev} className="row" style={{ gap: ".4rem" }}>
              <input
                type="checkbox"
                checked={values.events.includes(ev)}
                onChange={(e) => setValues((cur) => ({ ...cur, events: e.target.checked ? [...cur.events, ev] : cur.events.filter((x) => x !== ev) }))}
              />
              {t(`webhooks.eventNames.${eventKey(ev)}`)}
            </label>
          ))}
          <label className="row" style={{ gap: ".4rem" }}>
            <input type="checkbox" checked={values.includeInternalNotes} onChange={(e) => set({ includeInternalNotes: e.target.checked })} />
            {t("webhooks.includeInternalNotes")}
          </label>
        </fieldset>
        {editing && (
          <label className="row" style={{ gap: ".4rem" }}>
            <input type="checkbox" checked={values.active} onChange={(e) => set({ active: e.target.checked })} />
            {t("webhooks.active")}
          </label>
        )}
        <FormError error={error} />
        <div className="row" style={{ gap: ".5rem" }}>
          <button type="submit" disabled={pending}>
            {editing ? (pending ? t("webhooks.saving") : t("webhooks.save")) : pending ? t("webhooks.creating") : t("webhooks.create")}
          </button>
          {onCancel && (
            <button type="button" className="secondary" onClick={onCancel}>
              {t("webhooks.cancel")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function Deliveries({ hook, locale }: { hook: Hook; locale: Parameters<typeof formatDateTime>[1] }) {
  const { t } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const log = api.webhook.deliveries.useQuery({ webhookId: hook.id }, { refetchInterval: 5_000 });
  const redeliver = api.webhook.redeliver.useMutation();
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);

  async function onRedeliver(deliveryId: string) {
    setNotice(null);
    setError(null);
    try {
      await redeliver.mutateAsync({ deliveryId });
      setNotice(t("webhooks.redelivered"));
    } catch (err) {
      setError(err as ClientError);
    } finally {
      await utils.webhook.deliveries.invalidate({ webhookId: hook.id });
    }
  }

  const rows = log.data ?? [];
  return (
    <section className="stack" aria-labelledby={`${ids}-deliveries`}>
      <h2 id={`${ids}-deliveries`}>{t("webhooks.deliveriesTitle", { url: hook.url })}</h2>
      <div>
        <button type="button" className="secondary small" onClick={() => void log.refetch()}>
          {t("webhooks.refresh")}
        </button>
      </div>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <FormError error={error ?? log.error} />
      {log.isSuccess && rows.length === 0 ? (
        <p className="muted">{t("webhooks.deliveriesEmpty")}</p>
      ) : (
        <table aria-labelledby={`${ids}-deliveries`}>
          <thead>
            <tr>
              <th scope="col">{t("webhooks.colEvent")}</th>
              <th scope="col">{t("webhooks.colStatus")}</th>
              <th scope="col">{t("webhooks.colAttempts")}</th>
              <th scope="col">{t("webhooks.colLastCode")}</th>
              <th scope="col">{t("webhooks.colDate")}</th>
              <th scope="col">{t("webhooks.colActions")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  {d.eventType}
                  <div className="muted" style={{ fontFamily: "monospace", fontSize: ".8em" }}>
                    {d.eventId}
                  </div>
                  {d.manual && <div className="muted">{t("webhooks.manual")}</div>}
                </th>
                <td>
                  <span className="badge">{t(`webhooks.deliveryStatus.${d.status}`)}</span>
                </td>
                <td>
                  {d.attempts}
                  {d.log.length > 0 && (
                    <details>
                      <summary>{t("webhooks.attemptsLog")}</summary>
                      <ol>
                        {d.log.map((a) => (
                          <li key={a.id}>
                            {t("webhooks.attemptLine", { number: a.number, code: a.statusCode ?? a.error ?? t("webhooks.noAnswer"), ms: a.durationMs })}
                            {a.responseBody && <pre style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", maxWidth: 420 }}>{a.responseBody}</pre>}
                          </li>
                        ))}
                      </ol>
                    </details>
                  )}
                </td>
                <td>{d.lastStatusCode ?? d.lastError ?? "—"}</td>
                <td>{formatDateTime(d.createdAt, locale)}</td>
                <td>
                  <button type="button" className="secondary small" disabled={redeliver.isPending} aria-label={`${t("webhooks.redeliver")}: ${d.eventType} ${d.eventId}`} onClick={() => void onRedeliver(d.id)}>
                    {t("webhooks.redeliver")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
