"use client";
import { useEffect, useId, useState } from "react";
import { refetchAfterWrite, useSavedAction } from "~/components/admin/useSavedAction";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { LOCALES, type Locale } from "~/i18n";
import { useI18n } from "~/i18n/react";
import type { MailKind } from "~/server/modules/mail-templates/kinds";
import { api } from "~/trpc/react";

type Preview = { subject: string; text: string; html: string };

/** Admin: the subject and body of every outgoing mail, per language, with a preview rendered by the server. */
export default function MailTemplatesPage() {
  const { t } = useI18n();
  const ids = useId();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  const list = api.settings.templates.useQuery();
  const save = api.settings.saveTemplate.useMutation();
  const restore = api.settings.restoreTemplate.useMutation();
  const preview = api.settings.previewTemplate.useMutation();
  const [kind, setKind] = useState<MailKind>("ticket_created");
  const [locale, setLocale] = useState<Locale>("es");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [shown, setShown] = useState<Preview | null>(null);
  const [confirming, setConfirming] = useState(false);
  const saved = useSavedAction(t("siteSettings.templates.saved"), refetchAfterWrite(utils.settings.templates));
  const restored = useSavedAction(t("siteSettings.templates.restored"), refetchAfterWrite(utils.settings.templates));

  const entry = list.data?.find((k) => k.kind === kind);
  const current = entry?.templates.find((x) => x.locale === locale);
  // The editor shows the text sent now whenever another mail or language is picked (or after a save or restore).
  useEffect(() => {
    if (!current) return;
    setSubject(current.subject);
    setBody(current.body);
    setShown(null);
  }, [current?.subject, current?.body, kind, locale]); // eslint-disable-line react-hooks/exhaustive-deps

  async function onPreview() {
    preview.reset();
    try {
      setShown(await preview.mutateAsync({ kind, locale, subject, body }));
    } catch {
      setShown(null);
    }
  }

  const error = saved.error ?? restored.error ?? preview.error;
  const notice = saved.notice ?? restored.notice;
  return (
    <div className="stack">
      <h1>{t("siteSettings.templates.title")}</h1>
      <p className="muted">{t("siteSettings.templates.intro")}</p>
      <FormError error={list.error} />
      <div className="row" style={{ gap: 16, flexWrap: "wrap" }}>
        <label>
          {t("siteSettings.templates.kind")}
          <select value={kind} onChange={(e) => setKind(e.target.value as MailKind)}>
            {(list.data ?? []).map((k) => (
              <option key={k.kind} value={k.kind}>
                {t(`siteSettings.templates.kinds.${k.kind}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("siteSettings.templates.language")}
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`siteSettings.general.locales.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {entry && current && (
        <div className="template-editor">
          <form
            className="stack card"
            onSubmit={(e) => {
              e.preventDefault();
              void saved.run(() => save.mutateAsync({ kind, locale, subject, body }));
            }}
          >
            <p className="muted" role="note">
              {current.custom ? t("siteSettings.templates.custom") : t("siteSettings.templates.builtIn")}
            </p>
            <label>
              {t("siteSettings.templates.subject")}
              <input value={subject} maxLength={200} required onChange={(e) => setSubject(e.target.value)} />
            </label>
            <label>
              {t("siteSettings.templates.body")}
              <textarea value={body} rows={16} required aria-describedby={`${ids}-body-hint`} onChange={(e) => setBody(e.target.value)} />
            </label>
            <span id={`${ids}-body-hint`} className="muted">
              {t("siteSettings.templates.bodyHelp")}
            </span>
            {notice && (
              <p role="status" className="notice">
                {notice}
              </p>
            )}
            <FormError error={error} />
            <div className="row" style={{ gap: 8, flexWrap: "wrap" }}>
              <button type="button" className="secondary" disabled={!hydrated || preview.isPending} onClick={() => void onPreview()}>
                {preview.isPending ? t("siteSettings.templates.previewing") : t("siteSettings.templates.preview")}
              </button>
              <button type="submit" disabled={!hydrated || save.isPending}>
                {save.isPending ? t("siteSettings.templates.saving") : t("siteSettings.templates.save")}
              </button>
              {current.custom && (
                <button type="button" className="secondary" disabled={!hydrated || restore.isPending} onClick={() => setConfirming(true)}>
                  {t("siteSettings.templates.restore")}
                </button>
              )}
            </div>
          </form>
          <aside className="stack card" aria-labelledby={`${ids}-placeholders`}>
            <h2 id={`${ids}-placeholders`}>{t("siteSettings.templates.placeholders")}</h2>
            <p className="muted">{t("siteSettings.templates.placeholdersHelp")}</p>
            <ul className="template-placeholders">
              {entry.placeholders.map((p) => (
                <li key={p}>
                  <code>{`{{${p}}}`}</code>
                </li>
              ))}
            </ul>
          </aside>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        message={t("siteSettings.templates.restoreConfirm")}
        confirmLabel={t("siteSettings.templates.restore")}
        cancelLabel={t("cannedReplies.cancel")}
        busy={restore.isPending}
        onConfirm={() => {
          setConfirming(false);
          void restored.run(() => restore.mutateAsync({ kind, locale }));
        }}
        onCancel={() => setConfirming(false)}
      />
      {shown && (
        <section className="stack card" aria-labelledby={`${ids}-preview`}>
          <h2 id={`${ids}-preview`}>{t("siteSettings.templates.previewTitle")}</h2>
          <p>
            <strong>{t("siteSettings.templates.previewSubject", { subject: shown.subject })}</strong>
          </p>
          {/* The server's sanitized HTML, in a sandbox that runs nothing. */}
          <iframe title={t("siteSettings.templates.previewFrame")} sandbox="" srcDoc={shown.html} className="template-preview" />
        </section>
      )}
    </div>
  );
}
