"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime, personName } from "~/components/ui/format";
import { LOCALES, type Locale } from "~/i18n";
import { useI18n } from "~/i18n/react";
import type { ArticleForEditing } from "~/shared/schemas/kb";
import { api } from "~/trpc/react";
import { articlePath } from "./links";
import { categoryName } from "./names";
import { useDebounced } from "./useDebounced";
import { useHydrated } from "~/components/ui/useHydrated";


interface Draft {
  title: string;
  body: string;
  tags: string;
  categoryId: string;
}

const draftOf = (a: ArticleForEditing): Draft => ({ title: a.title, body: a.bodyMarkdown, tags: a.tags.join(", "), categoryId: a.categoryId ?? "" });
const sameDraft = (a: Draft, b: Draft) => a.title === b.title && a.body === b.body && a.tags === b.tags && a.categoryId === b.categoryId;
const parseTags = (s: string) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))];
const languageName = (l: string): `kb.languages.${Locale}` => `kb.languages.${l === "en" ? "en" : "es"}`;

type ClientError = { message: string; data?: unknown };
/** Sends an image to POST /api/kb/images; resolves to its URL, or throws the server's localized message. */
async function uploadImage(file: File): Promise<{ url: string; filename: string }> {
  const res = await fetch("/api/kb/images", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": file.type || "application/octet-stream", "x-filename": encodeURIComponent(file.name) },
    body: file,
  });
  const body = (await res.json().catch(() => ({}))) as { url?: string; message?: string };
  if (!res.ok || !body.url) throw { message: body.message ?? res.statusText } satisfies ClientError;
  return { url: body.url, filename: file.name };
}

/** Markdown image syntax for an uploaded file; brackets and line breaks in the name would break it. */
const imageMarkdown = (filename: string, url: string) => `![${filename.replace(/[[\]\r\n]/g, "").trim()}](${url})`;

const fieldErrorsOf = (e: ClientError | null) => ((e?.data as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {}) as Record<string, string[]>;

/** The article editor: a new article (optionally a translation of another), or an existing one. */
export function ArticleEditor({ id, translationOf }: { id?: string; translationOf?: string }) {
  const article = api.kb.forEditing.useQuery({ id: id ?? "" }, { enabled: !!id });
  const original = api.kb.forEditing.useQuery({ id: translationOf ?? "" }, { enabled: !id && !!translationOf });
  const hydrated = useHydrated();
  if (!hydrated) return null;
  if (id) {
    if (article.error) return <p role="alert">{article.error.message}</p>;
    if (!article.data) return null;
    return <EditorForm key={article.data.id} article={article.data} />;
  }
  if (translationOf) {
    if (original.error) return <p role="alert">{original.error.message}</p>;
    if (!original.data) return null;
    return <EditorForm original={original.data} />;
  }
  return <EditorForm />;
}

function EditorForm({ article, original }: { article?: ArticleForEditing; original?: ArticleForEditing }) {
  const { t, locale } = useI18n();
  const ids = useId();
  const router = useRouter();
  const utils = api.useUtils();
  const categories = api.kb.categories.useQuery();
  const initial: Draft = article ? draftOf(article) : { title: "", body: "", tags: original?.tags.join(", ") ?? "", categoryId: original?.categoryId ?? "" };
  const [saved, setSaved] = useState<Draft>(initial);
  const [draft, setDraft] = useState<Draft>(initial);
  const [language, setLanguage] = useState<Locale>(() => (article ? (article.language === "en" ? "en" : "es") : original ? (original.language === "en" ? "es" : "en") : locale));
  const [error, setError] = useState<ClientError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  const create = api.kb.create.useMutation();
  const update = api.kb.update.useMutation();
  const publish = api.kb.publish.useMutation();
  const remove = api.kb.remove.useMutation();

  const debouncedBody = useDebounced(draft.body, 350);
  const preview = api.kb.preview.useQuery({ bodyMarkdown: debouncedBody }, { enabled: debouncedBody.trim().length > 0, placeholderData: keepPreviousData });

  const dirty = !article || !sameDraft(draft, saved);
  const published = article?.state === "PUBLISHED";
  const fieldErrors = fieldErrorsOf(error);
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setNotice(null);
  };

  /** Saves the form (creating the article if new); returns its id. */
  async function save(): Promise<string> {
    const fields = { title: draft.title, bodyMarkdown: draft.body, tags: parseTags(draft.tags), categoryId: draft.categoryId || null };
    if (!article) {
      const created = await create.mutateAsync({ ...fields, language, ...(original ? { translationOf: original.id } : {}) });
      return created.id;
    }
    if (dirty) {
      await update.mutateAsync({ id: article.id, ...fields });
      setSaved(draft);
    }
    return article.id;
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setError(err as ClientError);
    } finally {
      setBusy(false);
    }
  }

  function onSave(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const savedId = await save();
      if (!article) return router.replace(`/agent/kb/${savedId}`);
      await utils.kb.forEditing.invalidate({ id: savedId });
      setNotice(t("kb.agent.saved"));
    });
  }

  function onPublish(next: boolean) {
    void run(async () => {
      const savedId = next ? await save() : article!.id;
      await publish.mutateAsync({ id: savedId, published: next });
      if (!article) return router.replace(`/agent/kb/${savedId}`);
      await utils.kb.forEditing.invalidate({ id: savedId });
      setNotice(t(next ? "kb.agent.published" : "kb.agent.unpublished"));
    });
  }

  function onRemove() {
    void run(async () => {
      await remove.mutateAsync({ id: article!.id });
      await utils.kb.stats.invalidate();
      router.push("/agent/kb");
    });
  }

  /** Uploads the chosen image and inserts its Markdown at the cursor (or in place of the selection). */
  async function onImage(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setUploading(true);
    setError(null);
    try {
      const { url, filename } = await uploadImage(file);
      const area = bodyRef.current;
      const text = imageMarkdown(filename, url);
      setDraft((d) => {
        const start = area ? area.selectionStart : d.body.length;
        const end = area ? area.selectionEnd : d.body.length;
        return { ...d, body: d.body.slice(0, start) + text + d.body.slice(end) };
      });
      setNotice(null);
      const caret = (area?.selectionStart ?? draft.body.length) + text.length;
      requestAnimationFrame(() => {
        area?.focus();
        area?.setSelectionRange(caret, caret);
      });
    } catch (err) {
      setError(err as ClientError);
    } finally {
      setUploading(false);
      input.value = "";
    }
  }

  const otherLanguage = article && LOCALES.find((l) => l !== article.language);

  return (
    <div className="stack">
      <nav className="muted">
        <a href="/agent/kb">{t("kb.agent.back")}</a>
      </nav>
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <h1>{article ? t("kb.agent.editTitle") : t("kb.agent.newTitle")}</h1>
        {article && (
          <p className="muted" style={{ margin: 0 }}>
            {t("kb.agent.state")}: <span className={`badge ${article.state}`}>{t(`kb.agent.states.${article.state}`)}</span>
            {published && (
              <>
                {" · "}
                <a href={articlePath(article.slug, article.language)} target="_blank" rel="noopener">
                  {t("kb.agent.viewPublic")}
                </a>
              </>
            )}
          </p>
        )}
      </div>
      {original && <p className="muted">{t("kb.agent.translationOf", { title: original.title })}</p>}
      <form className="stack" onSubmit={onSave} noValidate>
        <div className="kb-editor">
          <div className="stack">
            <label>
              {t("kb.agent.fieldTitle")}
              <input value={draft.title} onChange={(e) => set({ title: e.target.value })} required maxLength={200} aria-invalid={!!fieldErrors.title} />
              {fieldErrors.title && <span className="error">{fieldErrors.title[0]}</span>}
            </label>
            <label>
              {t("kb.agent.fieldBody")}
              <textarea ref={bodyRef} className="kb-markdown" value={draft.body} onChange={(e) => set({ body: e.target.value })} required aria-invalid={!!fieldErrors.bodyMarkdown} spellCheck />
              {fieldErrors.bodyMarkdown && <span className="error">{fieldErrors.bodyMarkdown[0]}</span>}
            </label>
            <label>
              {uploading ? t("kb.agent.uploadingImage") : t("kb.agent.uploadImage")}
              <input type="file" accept="image/png,image/jpeg,image/gif,image/webp" onChange={(e) => void onImage(e)} disabled={uploading || busy} aria-describedby={`${ids}-image`} />
              <span id={`${ids}-image`} className="muted">
                {t("kb.agent.imageHint")}
              </span>
            </label>
            <label>
              {t("kb.agent.fieldTags")}
              <input value={draft.tags} onChange={(e) => set({ tags: e.target.value })} aria-describedby={`${ids}-tags`} aria-invalid={!!fieldErrors.tags} />
              <span id={`${ids}-tags`} className="muted">
                {t("kb.agent.tagsHint")}
              </span>
            </label>
            <div className="row">
              <label>
                {t("kb.agent.fieldCategory")}
                <select value={draft.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
                  <option value="">{t("kb.agent.noCategory")}</option>
                  {categories.data?.map((c) => (
                    <option key={c.id} value={c.id}>
                      {categoryName(c, locale)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("kb.agent.fieldLanguage")}
                <select value={language} onChange={(e) => setLanguage(e.target.value === "en" ? "en" : "es")} disabled={!!article} aria-describedby={article ? `${ids}-lang` : undefined}>
                  {LOCALES.map((l) => (
                    <option key={l} value={l}>
                      {t(languageName(l))}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {article && (
              <p id={`${ids}-lang`} className="muted">
                {t("kb.agent.languageFixed")}{" "}
                {otherLanguage && <a href={`/agent/kb/new?translationOf=${article.id}`}>{t(`kb.agent.translate.${otherLanguage}`)}</a>}
              </p>
            )}
          </div>
          <section className="card kb-preview" aria-labelledby={`${ids}-preview`} aria-busy={preview.isFetching}>
            <h2 id={`${ids}-preview`}>{t("kb.agent.preview")}</h2>
            {draft.body.trim() && preview.data ? (
              // Rendered and sanitized by the server, exactly as the public page will show it.
              <div className="kb-body" lang={language} dangerouslySetInnerHTML={{ __html: preview.data.html }} />
            ) : (
              <p className="muted">{t("kb.agent.previewEmpty")}</p>
            )}
          </section>
        </div>
        <FormError error={error} />
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <div className="row">
          <button type="submit" disabled={busy || (!!article && !dirty)}>
            {busy && (create.isPending || update.isPending) ? t("kb.agent.saving") : t("kb.agent.save")}
          </button>
          {published ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => onPublish(false)}>
              {t("kb.agent.unpublish")}
            </button>
          ) : (
            <button type="button" className="secondary" disabled={busy} onClick={() => onPublish(true)}>
              {t("kb.agent.publish")}
            </button>
          )}
          {article && (
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirming(true)}>
              {t("kb.agent.remove")}
            </button>
          )}
        </div>
        <ConfirmDialog
          open={!!article && confirming}
          message={t("kb.agent.confirmRemove")}
          confirmLabel={t("kb.agent.confirmRemoveYes")}
          cancelLabel={t("kb.agent.cancel")}
          busy={busy}
          onConfirm={onRemove}
          onCancel={() => setConfirming(false)}
        />
      </form>
      {article && (
        <section aria-labelledby={`${ids}-history`}>
          <h2 id={`${ids}-history`}>{t("kb.agent.history")}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("kb.agent.historyDate")}</th>
                <th scope="col">{t("kb.agent.historyEditor")}</th>
                <th scope="col">{t("kb.agent.historyTitle")}</th>
              </tr>
            </thead>
            <tbody>
              {article.versions.map((v) => (
                <tr key={v.id}>
                  <td>
                    <time dateTime={new Date(v.createdAt).toISOString()}>{formatDateTime(v.createdAt, locale)}</time>
                  </td>
                  <td>{personName(v.editor) || "—"}</td>
                  <td>{v.title}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
