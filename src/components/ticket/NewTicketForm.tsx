"use client";
import { useHydrated } from "~/components/ui/useHydrated";
import { useRouter } from "next/navigation";
import { Fragment, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { AttachmentPicker, uploadsPending } from "~/components/attachments/AttachmentPicker";
import { useAttachmentUploads } from "~/components/attachments/useAttachmentUploads";
import { ProductCombobox, type ProductChoice } from "~/components/catalog/ProductCombobox";
import { ArticleSuggestions } from "~/components/kb/ArticleSuggestions";
import { deflectedPortalPath } from "~/components/portal/paths";
import { CategoryOptions } from "~/components/ui/EnumOptions";
import { FormError } from "~/components/ui/FormError";
import type { MessageKey } from "~/i18n";
import { useI18n } from "~/i18n/react";
import { checkFieldValues, normalizeFieldValue, type RawFieldValue } from "~/shared/custom-field-rules";
import { BODY_MAX, PRIORITIES, SUBJECT_MAX, type Priority } from "~/shared/enums";
import type { CustomFieldDefinition } from "~/shared/schemas/custom-fields";
import { api } from "~/trpc/react";
import { NewTicketHelp } from "~/components/writing/NewTicketHelp";
import { customFieldText, fieldLabel } from "./custom-field-text";

type Draft = string | boolean;
type Errors = Record<string, string>;

/** What the server says about each field (`subject`, `fields.<id>`…): its first message. */
function serverFieldErrors(error: unknown): Errors {
  const fieldErrors = (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)?.data?.fieldErrors ?? {};
  return Object.fromEntries(Object.entries(fieldErrors).flatMap(([k, v]) => (v[0] ? [[k, v[0]]] : [])));
}

/**
 * The new-ticket form of the portal, and of an agent recording a phone call (`phone`): then the
 * ticket belongs to the customer named by email (invited if new).
 *
 * Seed 004's order: the reason (category) first, then that category's own fields (required ones
 * marked *), the subject, the message and the priority, explained in seed 000's words. The customer
 * then sees a summary of exactly what will be sent, with "Editar" and "Enviar" (agents on the phone
 * send at once). The fields are checked here by the rules the server applies again
 * (shared/custom-field-rules.ts); each error shows once, beside its field, and goes when it is fixed.
 */
export function NewTicketForm({ phone = false }: { phone?: boolean }) {
  const { t, locale } = useI18n();
  const id = useId();
  const hydrated = useHydrated();
  const router = useRouter();
  // One key per form: a double click or a retried request cannot open two tickets.
  const [clientRequestId] = useState(() => crypto.randomUUID());
  const [step, setStep] = useState<"edit" | "confirm">("edit");
  const [requesterEmail, setRequesterEmail] = useState("");
  const [categoryId, setCategoryId] = useState("");
  const [product, setProduct] = useState<ProductChoice | null>(null);
  const [values, setValues] = useState<Record<string, Draft>>({});
  // Subject and message stay uncontrolled (what was typed before hydration is kept) and are mirrored here.
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [priority, setPriority] = useState<Priority>("MEDIUM");
  const [errors, setErrors] = useState<Errors>({});
  const subjectRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setSubject(subjectRef.current?.value ?? "");
    setDescription(descriptionRef.current?.value ?? "");
    setRequesterEmail(emailRef.current?.value ?? "");
  }, []);

  const categories = api.ticket.categories.useQuery();
  // Attachments (h-files): uploaded as they are picked; the ticket takes their ids.
  const uploads = useAttachmentUploads(t);
  const category = categories.data?.find((c) => c.id === categoryId) ?? null;
  const formFields = api.catalog.formFields.useQuery({ id: categoryId }, { enabled: !!categoryId });
  const fields: CustomFieldDefinition[] = categoryId ? (formFields.data ?? []) : [];
  const create = api.ticket.create.useMutation({
    onSuccess: (created) => router.push(`${phone ? "/agent" : "/portal"}/tickets/${created.number}`),
    onError: (err) => {
      const fromServer = serverFieldErrors(err);
      setErrors(fromServer);
      if (Object.keys(fromServer).length) setStep("edit");
    },
  });

  const elementId = (key: string) => `${id}-${key.replace(/\W/g, "-")}`;
  const errorId = (key: string) => `${elementId(key)}-error`;
  /** A field's error goes as soon as the field changes. */
  const clear = (key: string) => setErrors(({ [key]: _gone, ...rest }) => rest);
  const rawValues = (): Record<string, RawFieldValue> => Object.fromEntries(fields.map((f) => [f.id, values[f.id] ?? (f.type === "BOOLEAN" ? false : "")]));

  function validate(): Errors {
    const out: Errors = {};
    if (!subject.trim()) out.subject = t("errors.SUBJECT_REQUIRED");
    else if (subject.trim().length > SUBJECT_MAX) out.subject = t("errors.SUBJECT_TOO_LONG", { max: SUBJECT_MAX });
    if (!description.trim()) out.description = t("errors.BODY_REQUIRED");
    else if (description.trim().length > BODY_MAX) out.description = t("errors.BODY_TOO_LONG", { max: BODY_MAX });
    const checked = checkFieldValues(fields, rawValues());
    for (const f of fields) {
      const code = checked.errors[f.id];
      if (code) out[`fields.${f.id}`] = t(`errors.${code}` as MessageKey, { field: fieldLabel(f, locale) });
    }
    return out;
  }

  function send() {
    if (uploads.busy) return;
    create.mutate({
      ...(phone ? { requesterEmail, channel: "PHONE" as const } : {}),
      subject,
      description,
      priority,
      categoryId: categoryId || null,
      productId: category?.usesProducts ? (product?.id ?? null) : null,
      fields: rawValues(),
      clientRequestId,
      attachmentIds: uploads.ids,
    });
  }

  function onContinue(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const found = validate();
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(elementId(first))?.focus();
      return;
    }
    if (phone) return send();
    setStep("confirm");
  }
  useEffect(() => {
    if (step === "confirm") summaryRef.current?.focus();
  }, [step]);

  const describedBy = (key: string, help?: boolean) => [help && `${elementId(key)}-help`, errors[key] && errorId(key)].filter(Boolean).join(" ") || undefined;
  const errorOf = (key: string) =>
    errors[key] ? (
      <span id={errorId(key)} className="error">
        {errors[key]}
      </span>
    ) : null;
  const helpOf = (f: CustomFieldDefinition) => (locale === "en" ? f.helpTextEn : f.helpTextEs);
  // A message that is not about one field (a lost connection, a rate limit) shows once, above the buttons.
  const generalError = create.error && Object.keys(serverFieldErrors(create.error)).length === 0 ? create.error : null;

  function fieldControl(f: CustomFieldDefinition) {
    const key = `fields.${f.id}`;
    const label = fieldLabel(f, locale);
    const help = helpOf(f);
    const common = {
      id: elementId(key),
      "aria-invalid": !!errors[key],
      "aria-required": f.required || undefined,
      "aria-describedby": describedBy(key, !!help),
    };
    const set = (v: Draft) => {
      setValues((d) => ({ ...d, [f.id]: v }));
      clear(key);
    };
    const value = values[f.id];
    const helpText = help ? (
      <span id={`${elementId(key)}-help`} className="muted">
        {help}
      </span>
    ) : null;
    if (f.type === "BOOLEAN") {
      return (
        <div key={f.id} className="field">
          <label className="inline">
            <input type="checkbox" {...common} checked={value === true} onChange={(e) => set(e.target.checked)} /> {label}
            {f.required && " *"}
          </label>
          {helpText}
          {errorOf(key)}
        </div>
      );
    }
    return (
      <div key={f.id} className="field">
        <label htmlFor={elementId(key)}>
          {label}
          {f.required && " *"}
        </label>
        {f.type === "SELECT" ? (
          <select {...common} value={String(value ?? "")} onChange={(e) => set(e.target.value)}>
            <option value="">{t("customFields.noValue")}</option>
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>
                {locale === "en" ? o.labelEn : o.labelEs}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...common}
            type={f.type === "NUMBER" ? "text" : f.type === "DATE" ? "date" : "text"}
            inputMode={f.type === "NUMBER" ? "decimal" : undefined}
            maxLength={f.type === "TEXT" ? 1000 : undefined}
            value={String(value ?? "")}
            onChange={(e) => set(e.target.value)}
          />
        )}
        {helpText}
        {errorOf(key)}
      </div>
    );
  }

  const categoryName = category ? (locale === "en" ? category.nameEn : category.nameEs) : t("ticketForm.noCategory");
  const shownValue = (f: CustomFieldDefinition) => {
    const v = normalizeFieldValue(f, values[f.id] ?? null);
    return (v === "invalid" ? null : customFieldText(f, v, locale, { yes: t("customFields.yes"), no: t("customFields.no") })) ?? t("newTicket.empty");
  };

  return (
    <section className="card new-ticket" style={{ maxWidth: 720 }}>
      <h1>{phone ? t("agentTicketForm.title") : t("ticketForm.title")}</h1>
      {phone && <p className="muted">{t("agentTicketForm.intro")}</p>}
      <form className="stack" onSubmit={onContinue} noValidate hidden={step === "confirm"} aria-label={phone ? t("agentTicketForm.title") : t("ticketForm.title")}>
        <p className="muted">{t("ticketForm.requiredHint")}</p>
        {phone && (
          <div className="field">
            <label htmlFor={elementId("requesterEmail")}>{t("agentTicketForm.requesterEmail")} *</label>
            <input
              id={elementId("requesterEmail")}
              ref={emailRef}
              name="requesterEmail"
              type="email"
              required
              aria-required="true"
              autoComplete="off"
              maxLength={320}
              aria-invalid={!!errors.requesterEmail}
              aria-describedby={describedBy("requesterEmail")}
              onChange={(e) => (setRequesterEmail(e.target.value), clear("requesterEmail"))}
            />
            {errorOf("requesterEmail")}
          </div>
        )}
        <div className="field">
          <label htmlFor={elementId("categoryId")}>{t("newTicket.categoryLabel")}</label>
          <select
            id={elementId("categoryId")}
            name="categoryId"
            value={categoryId}
            aria-describedby={`${elementId("categoryId")}-help`}
            onChange={(e) => {
              setCategoryId(e.target.value);
              setErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !k.startsWith("fields.") && k !== "productId")));
            }}
          >
            <CategoryOptions categories={categories.data} />
          </select>
          <span id={`${elementId("categoryId")}-help`} className="muted">
            {t("newTicket.categoryHint")}
          </span>
        </div>
        {category?.usesProducts && (
          <ProductCombobox
            value={product}
            onChange={(p) => {
              setProduct(p);
              clear("productId");
            }}
            error={errors.productId}
            errorId={errorId("productId")}
          />
        )}
        {fields.length > 0 && (
          <fieldset className="stack">
            <legend>{categoryName}</legend>
            {fields.map(fieldControl)}
          </fieldset>
        )}
        <div className="field">
          <label htmlFor={elementId("subject")}>{t("ticketForm.subject")} *</label>
          <input
            id={elementId("subject")}
            name="subject"
            required
            aria-required="true"
            maxLength={SUBJECT_MAX}
            aria-invalid={!!errors.subject}
            aria-describedby={describedBy("subject")}
            ref={subjectRef}
            onChange={(e) => (setSubject(e.target.value), clear("subject"))}
          />
          {errorOf("subject")}
        </div>
        {/* A suggested article that solved the problem: no ticket is sent, the draft is left behind (seeds 001, 002). */}
        <ArticleSuggestions text={subject} deflection={phone ? undefined : { draftId: clientRequestId, onSolved: () => router.replace(deflectedPortalPath) }} />
        <div className="field">
          <label htmlFor={elementId("description")}>{t("ticketForm.description")} *</label>
          <textarea
            id={elementId("description")}
            name="description"
            required
            aria-required="true"
            aria-invalid={!!errors.description}
            aria-describedby={describedBy("description")}
            ref={descriptionRef}
            onChange={(e) => (setDescription(e.target.value), clear("description"))}
          />
          {errorOf("description")}
        </div>
        <NewTicketHelp />
        <AttachmentPicker uploads={uploads} />
        {uploadsPending(uploads, t) && <p className="muted">{uploadsPending(uploads, t)}</p>}
        <fieldset className="priority-choices" aria-describedby={`${elementId("priority")}-hint`}>
          <legend>{t("ticketForm.priority")}</legend>
          <p id={`${elementId("priority")}-hint`} className="muted">
            {t("newTicket.priorityHint")}
          </p>
          {PRIORITIES.map((p) => (
            <div key={p} className="radio-choice">
              <input
                type="radio"
                id={elementId(`priority-${p}`)}
                name="priority"
                value={p}
                checked={priority === p}
                onChange={() => setPriority(p)}
                aria-describedby={`${elementId(`priority-${p}`)}-help`}
              />
              <label htmlFor={elementId(`priority-${p}`)}>{t(`priority.${p}`)}</label>
              <span id={`${elementId(`priority-${p}`)}-help`} className="muted">
                {t(`newTicket.priorityHelp.${p}`)}
              </span>
            </div>
          ))}
        </fieldset>
        {Object.keys(errors).length > 0 && <p className="error">{t("newTicket.fixErrors")}</p>}
        <FormError error={step === "edit" ? generalError : null} />
        <div>
          {/* Until the page's script runs, a click would submit the form natively, its text in the address. */}
          <button type="submit" disabled={!hydrated || create.isPending || create.isSuccess || uploads.busy}>
            {phone ? (create.isPending ? t("agentTicketForm.sending") : t("agentTicketForm.submit")) : t("newTicket.continue")}
          </button>
        </div>
      </form>
      {step === "confirm" && (
        <section className="stack ticket-summary" aria-labelledby={`${id}-summary`}>
          <h2 id={`${id}-summary`} ref={summaryRef} tabIndex={-1}>
            {t("newTicket.confirmTitle")}
          </h2>
          <p className="muted">{t("newTicket.confirmIntro")}</p>
          <dl>
            <dt>{t("newTicket.categoryLabel")}</dt>
            <dd>{categoryName}</dd>
            {category?.usesProducts && (
              <>
                <dt>{t("newTicket.productLabel")}</dt>
                <dd>{product?.name ?? t("newTicket.empty")}</dd>
              </>
            )}
            {fields.map((f) => (
              <Fragment key={f.id}>
                <dt>{fieldLabel(f, locale)}</dt>
                <dd>{shownValue(f)}</dd>
              </Fragment>
            ))}
            <dt>{t("ticketForm.subject")}</dt>
            <dd>{subject.trim()}</dd>
            <dt>{t("ticketForm.description")}</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{description.trim()}</dd>
            <dt>{t("ticketForm.priority")}</dt>
            <dd>
              {t(`priority.${priority}`)} <span className="muted">({t(`newTicket.priorityHelp.${priority}`)})</span>
            </dd>
            {uploads.ids.length > 0 && (
              <>
                <dt>{t("newTicket.attachments")}</dt>
                <dd>
                  <ul>
                    {uploads.files.filter((f) => f.status === "done").map((f) => (
                      <li key={f.key}>{f.name}</li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
          <FormError error={generalError} />
          <div className="row">
            <button type="button" onClick={() => setStep("edit")} disabled={create.isPending || create.isSuccess}>
              {t("newTicket.edit")}
            </button>
            <button type="button" onClick={send} disabled={!hydrated || create.isPending || create.isSuccess || uploads.busy}>
              {create.isPending ? t("newTicket.sending") : t("newTicket.send")}
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
