"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useDebounced } from "~/components/kb/useDebounced";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { CANNED_BODY_MAX, CANNED_TITLE_MAX, PLACEHOLDERS, fillPlaceholders, type CannedLanguage } from "~/shared/canned-replies";
import type { CannedReplyView } from "~/shared/schemas/canned-replies";
import { api } from "~/trpc/react";

type ClientError = { message: string; data?: unknown };

const fieldErrorsOf = (e: ClientError | null) => ((e?.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors ?? {}) as Record<string, string[]>;

/** Admin: the canned replies agents insert in their answers. */
export default function CannedRepliesPage() {
  const { t } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const list = api.cannedReply.list.useQuery({ q }, { placeholderData: keepPreviousData });
  const remove = api.cannedReply.delete.useMutation();
  const [editing, setEditing] = useState<CannedReplyView | null>(null);
  const [confirming, setConfirming] = useState<CannedReplyView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);

  async function onRemove(r: CannedReplyView) {
    setNotice(null);
    setError(null);
    try {
      await remove.mutateAsync({ id: r.id });
      setConfirming(null);
      if (editing?.id === r.id) setEditing(null);
      setNotice(t("cannedReplies.deleted", { title: r.title }));
    } catch (err) {
      setError(err as ClientError);
    } finally {
      await utils.cannedReply.list.invalidate();
    }
  }

  const replies = list.data ?? [];
  return (
    <div className="stack">
      <h1>{t("cannedReplies.title")}</h1>
      <p className="muted">{t("cannedReplies.intro")}</p>

      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{t("cannedReplies.list")}</h2>
        <label style={{ maxWidth: 420 }}>
          {t("cannedReplies.search")}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <FormError error={error ?? list.error} />
        <ConfirmDialog
          open={!!confirming}
          message={confirming && t("cannedReplies.confirmRemove", { title: confirming.title })}
          confirmLabel={t("cannedReplies.confirmRemoveYes")}
          cancelLabel={t("cannedReplies.cancel")}
          busy={remove.isPending}
          onConfirm={() => confirming && void onRemove(confirming)}
          onCancel={() => setConfirming(null)}
        />
        {list.isSuccess && replies.length === 0 ? (
          <p className="muted">{q ? t("cannedReplies.noMatches") : t("cannedReplies.empty")}</p>
        ) : (
          <table aria-labelledby={`${ids}-list`}>
            <thead>
              <tr>
                <th scope="col">{t("cannedReplies.fieldTitle")}</th>
                <th scope="col">{t("cannedReplies.language")}</th>
                <th scope="col">{t("cannedReplies.status")}</th>
                <th scope="col">{t("cannedReplies.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {replies.map((r) => (
                <tr key={r.id}>
                  <th scope="row" style={{ overflowWrap: "anywhere" }}>
                    {r.title}
                  </th>
                  <td>{r.language ? t(`cannedReplies.languages.${r.language}`) : t("cannedReplies.languageBoth")}</td>
                  <td>
                    <span className="badge">{r.active ? t("cannedReplies.stateActive") : t("cannedReplies.stateInactive")}</span>
                  </td>
                  <td>
                    <div className="row" style={{ gap: ".4rem" }}>
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`${t("cannedReplies.edit")}: ${r.title}`}
                        onClick={() => {
                          setNotice(null);
                          setConfirming(null);
                          setEditing(r);
                        }}
                      >
                        {t("cannedReplies.edit")}
                      </button>
                      <button
                        type="button"
                        className="danger small"
                        aria-label={`${t("cannedReplies.remove")}: ${r.title}`}
                        onClick={() => {
                          setNotice(null);
                          setConfirming(r);
                        }}
                      >
                        {t("cannedReplies.remove")}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {/* Keyed by the reply: switching to another (or back to "new") starts from its saved values. */}
      <CannedReplyForm
        key={editing?.id ?? "new"}
        reply={editing}
        onSaved={async (text) => {
          setEditing(null);
          setNotice(text);
          await utils.cannedReply.list.invalidate();
        }}
        onCancel={() => setEditing(null)}
      />
    </div>
  );
}

interface Draft {
  title: string;
  body: string;
  language: CannedLanguage | "";
  active: boolean;
}

const EMPTY: Draft = { title: "", body: "", language: "", active: true };

function CannedReplyForm({ reply, onSaved, onCancel }: { reply: CannedReplyView | null; onSaved: (notice: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const create = api.cannedReply.create.useMutation();
  const update = api.cannedReply.update.useMutation();
  const [draft, setDraft] = useState<Draft>(() => (reply ? { title: reply.title, body: reply.body, language: reply.language ?? "", active: reply.active } : EMPTY));
  const [error, setError] = useState<ClientError | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const fieldErrors = fieldErrorsOf(error);
  const saving = create.isPending || update.isPending;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  useEffect(() => {
    if (reply) titleRef.current?.focus();
  }, [reply]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const fields = { title: draft.title, body: draft.body, language: draft.language || null, active: draft.active };
    try {
      if (reply) {
        const saved = await update.mutateAsync({ id: reply.id, ...fields });
        await onSaved(t("cannedReplies.updated", { title: saved.title }));
      } else {
        const saved = await create.mutateAsync(fields);
        setDraft(EMPTY);
        await onSaved(t("cannedReplies.created", { title: saved.title }));
      }
    } catch (err) {
      setError(err as ClientError);
    }
  }

  // The example values are the language's own; the reply's placeholders are filled as on a ticket.
  const example = {
    customerName: t("cannedReplies.example.customerName"),
    ticketNumber: t("cannedReplies.example.ticketNumber"),
    agentName: t("cannedReplies.example.agentName"),
  };
  const titleError = fieldErrors.title?.[0];
  const bodyError = fieldErrors.body?.[0];

  return (
    <section className="card stack" aria-labelledby={`${ids}-title`} style={{ maxWidth: 820 }}>
      <h2 id={`${ids}-title`}>{reply ? t("cannedReplies.editTitle", { title: reply.title }) : t("cannedReplies.addTitle")}</h2>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-t`}>{t("cannedReplies.fieldTitle")}</label>
          <input
            id={`${ids}-t`}
            ref={titleRef}
            value={draft.title}
            maxLength={CANNED_TITLE_MAX}
            onChange={(e) => set({ title: e.target.value })}
            aria-invalid={!!titleError}
            aria-describedby={titleError ? `${ids}-t-error` : undefined}
            required
          />
          {titleError && (
            <span id={`${ids}-t-error`} className="error">
              {titleError}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-b`}>{t("cannedReplies.fieldBody")}</label>
          <textarea
            id={`${ids}-b`}
            value={draft.body}
            maxLength={CANNED_BODY_MAX}
            onChange={(e) => set({ body: e.target.value })}
            aria-invalid={!!bodyError}
            aria-describedby={[`${ids}-b-hint`, bodyError ? `${ids}-b-error` : null].filter(Boolean).join(" ")}
            required
          />
          <div id={`${ids}-b-hint`} className="muted">
            {t("cannedReplies.placeholdersTitle")}:{" "}
            {PLACEHOLDERS.map((p, i) => (
              <span key={p.key}>
                {i > 0 && " · "}
                <code>{`{{${p.names[0]}}}`}</code> ({t(`cannedReplies.placeholders.${p.key}`)})
              </span>
            ))}
          </div>
          {bodyError && (
            <span id={`${ids}-b-error`} className="error">
              {bodyError}
            </span>
          )}
        </div>
        <label style={{ maxWidth: 280 }}>
          {t("cannedReplies.fieldLanguage")}
          <select value={draft.language} onChange={(e) => set({ language: e.target.value as Draft["language"] })}>
            <option value="">{t("cannedReplies.languageBoth")}</option>
            <option value="es">{t("cannedReplies.languages.es")}</option>
            <option value="en">{t("cannedReplies.languages.en")}</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} /> {t("cannedReplies.active")}
        </label>
        <section aria-labelledby={`${ids}-preview`} className="stack" style={{ gap: ".3rem" }}>
          <h3 id={`${ids}-preview`} style={{ margin: 0, fontSize: "1rem" }}>
            {t("cannedReplies.preview")}
          </h3>
          {/* Plain text, rendered as text by React: a value can never become markup. */}
          <div className="message" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {fillPlaceholders(draft.body, example)}
          </div>
        </section>
        <FormError error={error} />
        <div className="row">
          <button type="submit" disabled={saving}>
            {saving ? t("cannedReplies.saving") : reply ? t("cannedReplies.save") : t("cannedReplies.add")}
          </button>
          {reply && (
            <button type="button" className="secondary" onClick={onCancel}>
              {t("cannedReplies.cancel")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
