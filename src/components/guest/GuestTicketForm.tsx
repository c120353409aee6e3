"use client";
import { useEffect, useId, useState, type FormEvent } from "react";
import { AttachmentPicker, uploadsPending } from "~/components/attachments/AttachmentPicker";
import { useAttachmentUploads } from "~/components/attachments/useAttachmentUploads";
import { ArticleSuggestions } from "~/components/kb/ArticleSuggestions";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { WritingHints } from "~/components/writing/WritingHints";
import { useI18n } from "~/i18n/react";
import { BODY_MAX, NAME_MAX, SUBJECT_MAX } from "~/shared/enums";
import { GUEST_FORGOT_ID_PATH, GUEST_TRACKING_PATH } from "~/shared/guest-paths";
import { api } from "~/trpc/react";

type Field = "name" | "email" | "company" | "categoryId" | "subject" | "description";
type Errors = Partial<Record<Field, string>>;

function serverFieldErrors(error: unknown): Errors {
  const fieldErrors = (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)?.data?.fieldErrors ?? {};
  return Object.fromEntries(Object.entries(fieldErrors).flatMap(([k, v]) => (v[0] ? [[k, v[0]]] : [])));
}

/**
 * Seed 001's "Nuevo Ticket" for someone without an account: Nombre*, Correo electrónico*,
 * Estudio/Empresa, Categoría*, Asunto*, Mensaje*, with the portal's knowledge-base suggestions on
 * the subject, its attachments and its writing hints. Sent, it shows the tracking ID (also mailed).
 */
export function GuestTicketForm() {
  const { t, locale } = useI18n();
  const id = useId();
  const hydrated = useHydrated();
  const [clientRequestId, setClientRequestId] = useState(() => crypto.randomUUID());
  const [values, setValues] = useState<Record<Field, string>>({ name: "", email: "", company: "", categoryId: "", subject: "", description: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [sent, setSent] = useState<{ trackingId: string; email: string } | null>(null);
  const categories = api.ticket.categories.useQuery();
  const uploads = useAttachmentUploads(t);
  // This browser's draft key (a signed cookie): the files it uploads are its own.
  const draft = api.guest.draft.useMutation();
  const { mutate: openDraft } = draft;
  useEffect(() => openDraft(), [openDraft]);
  const create = api.guest.create.useMutation({
    onSuccess: (created, input) => {
      setSent({ trackingId: created.trackingId, email: input.email });
      uploads.clear();
    },
    onError: (err) => setErrors(serverFieldErrors(err)),
  });

  const el = (f: string) => `${id}-${f}`;
  const set = (f: Field, v: string) => {
    setValues((d) => ({ ...d, [f]: v }));
    setErrors(({ [f]: _gone, ...rest }) => rest);
  };

  function validate(): Errors {
    const out: Errors = {};
    if (!values.name.trim()) out.name = t("errors.NAME_REQUIRED");
    if (!/^\S+@\S+\.\S+$/.test(values.email.trim())) out.email = t("errors.EMAIL_INVALID");
    if (!values.categoryId) out.categoryId = t("errors.CATEGORY_REQUIRED");
    if (!values.subject.trim()) out.subject = t("errors.SUBJECT_REQUIRED");
    if (!values.description.trim()) out.description = t("errors.BODY_REQUIRED");
    return out;
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (uploads.busy) return;
    const found = validate();
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) return document.getElementById(el(first))?.focus();
    create.mutate({
      name: values.name,
      email: values.email,
      company: values.company.trim() || undefined,
      categoryId: values.categoryId,
      subject: values.subject,
      description: values.description,
      clientRequestId,
      attachmentIds: uploads.ids,
    });
  }

  if (sent) {
    return (
      <section className="card stack guest-created" style={{ maxWidth: 720 }} aria-labelledby={el("sent")}>
        <h1 id={el("sent")}>{t("guest.created.title")}</h1>
        <p role="status">
          {t("guest.created.body")} <strong className="tracking-id" data-testid="tracking-id">{sent.trackingId}</strong>
        </p>
        <p>{t("guest.created.keep")}</p>
        <p className="muted">{t("guest.created.mailed", { email: sent.email })}</p>
        <div className="row">
          <a className="button" href={GUEST_TRACKING_PATH}>
            {t("guest.created.view")}
          </a>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setSent(null);
              create.reset();
              setClientRequestId(crypto.randomUUID());
              setValues((v) => ({ ...v, subject: "", description: "" }));
            }}
          >
            {t("guest.created.another")}
          </button>
        </div>
      </section>
    );
  }

  const describedBy = (f: Field, hint?: boolean) => [hint && `${el(f)}-hint`, errors[f] && `${el(f)}-error`].filter(Boolean).join(" ") || undefined;
  const errorOf = (f: Field) =>
    errors[f] ? (
      <span id={`${el(f)}-error`} className="error">
        {errors[f]}
      </span>
    ) : null;
  const generalError = create.error && Object.keys(serverFieldErrors(create.error)).length === 0 ? create.error : null;
  const text = (f: Field, label: string, opts: { required?: boolean; type?: string; max: number; autoComplete?: string; hint?: string }) => (
    <div className="field">
      <label htmlFor={el(f)}>
        {label}
        {opts.required && " *"}
      </label>
      <input
        id={el(f)}
        name={f}
        type={opts.type ?? "text"}
        value={values[f]}
        maxLength={opts.max}
        autoComplete={opts.autoComplete}
        aria-required={opts.required || undefined}
        aria-invalid={!!errors[f]}
        aria-describedby={describedBy(f, !!opts.hint)}
        onChange={(e) => set(f, e.target.value)}
      />
      {opts.hint && (
        <span id={`${el(f)}-hint`} className="muted">
          {opts.hint}
        </span>
      )}
      {errorOf(f)}
    </div>
  );

  return (
    <section className="card new-ticket stack" style={{ maxWidth: 720 }}>
      <h1>{t("guest.form.title")}</h1>
      <p>{t("guest.form.intro")}</p>
      <form className="stack" onSubmit={onSubmit} noValidate aria-label={t("guest.form.title")}>
        <p className="muted">{t("guest.form.requiredHint")}</p>
        {text("name", t("guest.form.name"), { required: true, max: NAME_MAX, autoComplete: "name" })}
        {text("email", t("guest.form.email"), { required: true, type: "email", max: 320, autoComplete: "email", hint: t("guest.form.emailHint") })}
        {text("company", t("guest.form.company"), { max: 120, autoComplete: "organization" })}
        <div className="field">
          <label htmlFor={el("categoryId")}>{t("guest.form.category")} *</label>
          <select
            id={el("categoryId")}
            name="categoryId"
            value={values.categoryId}
            aria-required="true"
            aria-invalid={!!errors.categoryId}
            aria-describedby={describedBy("categoryId")}
            onChange={(e) => set("categoryId", e.target.value)}
          >
            <option value="">{t("guest.form.chooseCategory")}</option>
            {categories.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {locale === "en" ? c.nameEn : c.nameEs}
              </option>
            ))}
          </select>
          {errorOf("categoryId")}
        </div>
        {text("subject", t("guest.form.subject"), { required: true, max: SUBJECT_MAX })}
        {/* Articles matching the subject, before anything is sent (seed 001: the knowledge base first). */}
        <ArticleSuggestions text={values.subject} />
        <div className="field">
          <label htmlFor={el("description")}>{t("guest.form.message")} *</label>
          <textarea
            id={el("description")}
            name="description"
            value={values.description}
            maxLength={BODY_MAX}
            aria-required="true"
            aria-invalid={!!errors.description}
            aria-describedby={describedBy("description", true)}
            onChange={(e) => set("description", e.target.value)}
          />
          <span id={`${el("description")}-hint`} className="muted">
            {t("guest.form.messageHint")}
          </span>
          {errorOf("description")}
        </div>
        <WritingHints text={values.description} />
        <AttachmentPicker uploads={uploads} disabled={!draft.isSuccess} />
        {uploadsPending(uploads, t) && <p className="muted">{uploadsPending(uploads, t)}</p>}
        {Object.keys(errors).length > 0 && <p className="error">{t("guest.form.fixErrors")}</p>}
        <FormError error={generalError} />
        <div>
          <button type="submit" disabled={!hydrated || create.isPending || uploads.busy}>
            {create.isPending ? t("guest.form.sending") : t("guest.form.submit")}
          </button>
        </div>
      </form>
      <p className="muted">
        <a href="/login">{t("guest.form.haveAccount")}</a> · <a href={GUEST_TRACKING_PATH}>{t("guest.links.tracking")}</a> ·{" "}
        <a href={GUEST_FORGOT_ID_PATH}>{t("guest.links.forgot")}</a>
      </p>
    </section>
  );
}
