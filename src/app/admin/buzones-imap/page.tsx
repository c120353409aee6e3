"use client";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import type { ImapMailboxView } from "~/shared/schemas/admin";
import { api } from "~/trpc/react";

type ClientError = { message: string; data?: unknown };
type TestOutcome = { ok: boolean; message: string };

const fieldErrorsOf = (e: ClientError | null) => ((e?.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors ?? {}) as Record<string, string[]>;

/** Admin: the provider mailboxes (IMAP) the workers import mail from. */
export default function ImapMailboxesPage() {
  const { t, locale } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const list = api.admin.imapMailboxes.useQuery(undefined, { refetchInterval: 10_000 });
  const setActive = api.admin.setImapMailboxActive.useMutation();
  const remove = api.admin.deleteImapMailbox.useMutation();
  const test = api.admin.testImapMailbox.useMutation();
  const [editing, setEditing] = useState<ImapMailboxView | null>(null);
  const [confirming, setConfirming] = useState<ImapMailboxView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [tested, setTested] = useState<TestOutcome | null>(null);

  function begin() {
    setNotice(null);
    setError(null);
    setTested(null);
  }

  async function run(action: () => Promise<void>) {
    begin();
    try {
      await action();
    } catch (err) {
      setError(err as ClientError);
    } finally {
      await utils.admin.imapMailboxes.invalidate();
    }
  }

  const onToggle = (m: ImapMailboxView) =>
    run(async () => {
      await setActive.mutateAsync({ id: m.id, active: !m.active });
      setNotice(t(m.active ? "imapMailboxes.deactivated" : "imapMailboxes.activated", { name: m.name }));
    });

  const onRemove = (m: ImapMailboxView) =>
    run(async () => {
      await remove.mutateAsync({ id: m.id });
      setConfirming(null);
      if (editing?.id === m.id) setEditing(null);
      setNotice(t("imapMailboxes.deleted", { name: m.name }));
    });

  async function onTest(m: ImapMailboxView) {
    begin();
    setTesting(m.id);
    try {
      const r = await test.mutateAsync({ id: m.id });
      setTested({ ok: r.ok, message: t("imapMailboxes.resultFor", { name: m.name, message: r.message }) });
    } catch (err) {
      setError(err as ClientError);
    } finally {
      setTesting(null);
    }
  }

  const busy = setActive.isPending || remove.isPending;
  const mailboxes = list.data ?? [];

  return (
    <div className="stack">
      <h1>{t("imapMailboxes.title")}</h1>
      <p className="muted">{t("imapMailboxes.intro")}</p>
      <FormError error={list.error} />

      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{t("imapMailboxes.list")}</h2>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <FormError error={error} />
        <TestResult tested={tested} />
        <ConfirmDialog
          open={!!confirming}
          message={confirming && t("imapMailboxes.confirmRemove", { name: confirming.name })}
          confirmLabel={t("imapMailboxes.confirmRemoveYes")}
          cancelLabel={t("imapMailboxes.cancel")}
          busy={busy}
          onConfirm={() => confirming && void onRemove(confirming)}
          onCancel={() => setConfirming(null)}
        />
        {list.isSuccess && mailboxes.length === 0 ? (
          <p className="muted">{t("imapMailboxes.empty")}</p>
        ) : (
          <table aria-labelledby={`${ids}-list`}>
            <thead>
              <tr>
                <th scope="col">{t("imapMailboxes.name")}</th>
                <th scope="col">{t("imapMailboxes.account")}</th>
                <th scope="col">{t("imapMailboxes.folder")}</th>
                <th scope="col">{t("imapMailboxes.status")}</th>
                <th scope="col">{t("imapMailboxes.lastPoll")}</th>
                <th scope="col">{t("imapMailboxes.lastError")}</th>
                <th scope="col">{t("imapMailboxes.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {mailboxes.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.name}</th>
                  <td style={{ overflowWrap: "anywhere" }}>
                    {m.username}@{m.host}:{m.port}
                    {m.secure ? " (TLS)" : ""}
                  </td>
                  <td>
                    {m.folder}
                    {m.moveTo && <span className="muted"> · {t("imapMailboxes.movesTo", { folder: m.moveTo })}</span>}
                  </td>
                  <td>
                    <span className="badge">{m.active ? t("imapMailboxes.stateActive") : t("imapMailboxes.stateInactive")}</span>
                  </td>
                  <td>{m.lastPolledAt ? formatDateTime(m.lastPolledAt, locale) : t("imapMailboxes.never")}</td>
                  <td style={{ maxWidth: 280, overflowWrap: "anywhere" }} className={m.lastError ? "error" : "muted"}>
                    {m.lastError ?? t("imapMailboxes.noError")}
                  </td>
                  <td>
                    <div className="row" style={{ gap: ".4rem" }}>
                      <button
                        type="button"
                        className="secondary small"
                        onClick={() => {
                          begin();
                          setConfirming(null);
                          setEditing(m);
                        }}
                      >
                        {t("imapMailboxes.edit")}
                      </button>
                      <button type="button" className="secondary small" disabled={testing !== null} onClick={() => void onTest(m)}>
                        {testing === m.id ? t("imapMailboxes.testing") : t("imapMailboxes.testConnection")}
                      </button>
                      <button type="button" className="secondary small" disabled={busy} onClick={() => void onToggle(m)}>
                        {m.active ? t("imapMailboxes.deactivate") : t("imapMailboxes.activate")}
                      </button>
                      <button
                        type="button"
                        className="danger small"
                        disabled={busy}
                        onClick={() => {
                          begin();
                          setConfirming(m);
                        }}
                      >
                        {t("imapMailboxes.remove")}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {/* Keyed by the mailbox: switching to another (or back to "add") starts from its saved values. */}
      <MailboxForm
        key={editing?.id ?? "new"}
        mailbox={editing}
        onSaved={async (text) => {
          begin();
          setEditing(null);
          setNotice(text);
          await utils.admin.imapMailboxes.invalidate();
        }}
        onCancel={() => setEditing(null)}
      />
    </div>
  );
}

interface Draft {
  name: string;
  host: string;
  port: string;
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  moveTo: string;
  active: boolean;
}

const EMPTY: Draft = { name: "", host: "", port: "993", secure: true, username: "", password: "", folder: "INBOX", moveTo: "", active: true };

function draftOf(m: ImapMailboxView): Draft {
  return { name: m.name, host: m.host, port: String(m.port), secure: m.secure, username: m.username, password: "", folder: m.folder, moveTo: m.moveTo ?? "", active: m.active };
}

/** The add form, or the edit form of one mailbox (whose password field starts empty: empty keeps it). */
function MailboxForm({ mailbox, onSaved, onCancel }: { mailbox: ImapMailboxView | null; onSaved: (notice: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const create = api.admin.createImapMailbox.useMutation();
  const update = api.admin.updateImapMailbox.useMutation();
  const test = api.admin.testImapMailbox.useMutation();
  const [draft, setDraft] = useState<Draft>(() => (mailbox ? draftOf(mailbox) : EMPTY));
  const [error, setError] = useState<ClientError | null>(null);
  const [tested, setTested] = useState<TestOutcome | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const fieldErrors = fieldErrorsOf(error);
  const saving = create.isPending || update.isPending;

  // Editing starts where the admin will type: the form is below the table.
  useEffect(() => {
    if (mailbox) nameRef.current?.focus();
  }, [mailbox]);

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setTested(null);
  };

  /** The usual port follows the TLS switch, unless the admin typed another one. */
  function onSecure(secure: boolean) {
    const port = secure && draft.port === "143" ? "993" : !secure && draft.port === "993" ? "143" : draft.port;
    set({ secure, port });
  }

  /** An empty or non-numeric port goes as NaN: the server answers it in the admin's language. */
  const port = () => (draft.port.trim() === "" ? Number.NaN : Number(draft.port));

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setTested(null);
    const fields = {
      name: draft.name,
      host: draft.host,
      port: port(),
      secure: draft.secure,
      username: draft.username,
      folder: draft.folder,
      moveTo: draft.moveTo.trim() || null,
      active: draft.active,
    };
    try {
      if (mailbox) {
        const saved = await update.mutateAsync({ id: mailbox.id, ...fields, password: draft.password });
        await onSaved(t("imapMailboxes.updated", { name: saved.name }));
      } else {
        const saved = await create.mutateAsync({ ...fields, password: draft.password });
        setDraft(EMPTY);
        await onSaved(t("imapMailboxes.created", { name: saved.name }));
      }
    } catch (err) {
      setError(err as ClientError);
    }
  }

  async function onTest() {
    setError(null);
    setTested(null);
    try {
      const r = await test.mutateAsync({
        ...(mailbox ? { id: mailbox.id } : {}),
        host: draft.host,
        port: port(),
        secure: draft.secure,
        username: draft.username,
        folder: draft.folder,
        ...(draft.password ? { password: draft.password } : {}),
      });
      setTested({ ok: r.ok, message: r.message });
    } catch (err) {
      setError(err as ClientError);
    }
  }

  const field = (
    name: keyof Draft & string,
    label: string,
    input: (p: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined }) => ReactNode,
    hint?: string,
  ) => {
    const id = `${ids}-${name}`;
    const err = fieldErrors[name]?.[0];
    const describedBy = [hint ? `${id}-hint` : null, err ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {input({ id, "aria-invalid": !!err, "aria-describedby": describedBy })}
        {hint && (
          <span id={`${id}-hint`} className="muted">
            {hint}
          </span>
        )}
        {err && (
          <span id={`${id}-error`} className="error">
            {err}
          </span>
        )}
      </div>
    );
  };

  return (
    <section className="card stack" aria-labelledby={`${ids}-title`} style={{ maxWidth: 720 }}>
      <h2 id={`${ids}-title`}>{mailbox ? t("imapMailboxes.editTitle", { name: mailbox.name }) : t("imapMailboxes.addTitle")}</h2>
      <form className="stack" onSubmit={onSubmit} noValidate>
        {field("name", t("imapMailboxes.name"), (p) => <input {...p} ref={nameRef} value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={200} required />, t("imapMailboxes.nameHint"))}
        <div className="row" style={{ alignItems: "start" }}>
          <div className="grow">
            {field(
              "host",
              t("imapMailboxes.host"),
              (p) => <input {...p} value={draft.host} onChange={(e) => set({ host: e.target.value })} autoComplete="off" spellCheck={false} inputMode="url" required />,
              t("imapMailboxes.hostHint"),
            )}
          </div>
          <div style={{ width: "8rem" }}>
            {field("port", t("imapMailboxes.port"), (p) => <input {...p} type="number" min={1} max={65535} value={draft.port} onChange={(e) => set({ port: e.target.value })} required />)}
          </div>
        </div>
        <div className="field">
          <label className="inline">
            <input type="checkbox" checked={draft.secure} onChange={(e) => onSecure(e.target.checked)} aria-describedby={`${ids}-secure-hint`} /> {t("imapMailboxes.secure")}
          </label>
          <span id={`${ids}-secure-hint`} className="muted">
            {t("imapMailboxes.secureHint")}
          </span>
        </div>
        {field("username", t("imapMailboxes.username"), (p) => <input {...p} value={draft.username} onChange={(e) => set({ username: e.target.value })} autoComplete="off" spellCheck={false} required />)}
        {field(
          "password",
          t("imapMailboxes.password"),
          (p) => <input {...p} type="password" value={draft.password} onChange={(e) => set({ password: e.target.value })} autoComplete="new-password" required={!mailbox} />,
          mailbox?.hasPassword ? t("imapMailboxes.passwordKeep") : t("imapMailboxes.passwordHint"),
        )}
        <div className="row" style={{ alignItems: "start" }}>
          <div className="grow">
            {field("folder", t("imapMailboxes.folder"), (p) => <input {...p} value={draft.folder} onChange={(e) => set({ folder: e.target.value })} spellCheck={false} required />, t("imapMailboxes.folderHint"))}
          </div>
          <div className="grow">
            {field("moveTo", t("imapMailboxes.moveTo"), (p) => <input {...p} value={draft.moveTo} onChange={(e) => set({ moveTo: e.target.value })} spellCheck={false} />, t("imapMailboxes.moveToHint"))}
          </div>
        </div>
        <label className="inline">
          <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} /> {t("imapMailboxes.active")}
        </label>
        <FormError error={error} />
        <TestResult tested={tested} />
        <div className="row">
          <button type="submit" disabled={saving}>
            {saving ? t("imapMailboxes.saving") : mailbox ? t("imapMailboxes.save") : t("imapMailboxes.add")}
          </button>
          <button type="button" className="secondary" disabled={test.isPending} onClick={() => void onTest()}>
            {test.isPending ? t("imapMailboxes.testing") : t("imapMailboxes.testConnection")}
          </button>
          {mailbox && (
            <button type="button" className="secondary" onClick={onCancel}>
              {t("imapMailboxes.cancel")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** What "Probar conexión" found: a status when it worked, an alert when it did not. */
function TestResult({ tested }: { tested: { ok: boolean; message: string } | null }) {
  if (!tested) return null;
  return tested.ok ? (
    <p role="status" className="notice">
      {tested.message}
    </p>
  ) : (
    <p role="alert" className="error">
      {tested.message}
    </p>
  );
}
