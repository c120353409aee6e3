"use client";
import { useHydrated } from "~/components/ui/useHydrated";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ArticleSuggestions } from "~/components/kb/ArticleSuggestions";
import { deflectedPortalPath } from "~/components/portal/paths";
import { AttachmentPicker, uploadsPending } from "~/components/attachments/AttachmentPicker";
import { useAttachmentUploads } from "~/components/attachments/useAttachmentUploads";
import { CategoryOptions, PriorityOptions } from "~/components/ui/EnumOptions";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { SUBJECT_MAX, type Priority } from "~/shared/enums";
import { api } from "~/trpc/react";
import { NewTicketHelp } from "~/components/writing/NewTicketHelp";

/**
 * The new-ticket form of the portal, and of an agent recording a phone call (`phone`): then the
 * ticket belongs to the customer named by email (invited if new).
 */
export function NewTicketForm({ phone = false }: { phone?: boolean }) {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const router = useRouter();
  // One key per form: a double click or a retried request cannot open two tickets.
  const [clientRequestId] = useState(() => crypto.randomUUID());
  // The field stays uncontrolled (what was typed before hydration is kept); its text feeds the suggestions.
  const [subject, setSubject] = useState("");
  const subjectRef = useRef<HTMLInputElement>(null);
  useEffect(() => setSubject(subjectRef.current?.value ?? ""), []);
  const categories = api.ticket.categories.useQuery();
  // Attachments (h-files): uploaded as they are picked; the ticket takes their ids.
  const uploads = useAttachmentUploads(t);
  const create = api.ticket.create.useMutation({
    onSuccess: (created) => router.push(`${phone ? "/agent" : "/portal"}/tickets/${created.number}`),
  });
  const fieldErrors = (create.error?.data as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {};

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (uploads.busy) return;
    const f = new FormData(e.currentTarget);
    create.mutate({
      ...(phone ? { requesterEmail: String(f.get("requesterEmail") ?? ""), channel: "PHONE" as const } : {}),
      subject: String(f.get("subject") ?? ""),
      description: String(f.get("description") ?? ""),
      priority: String(f.get("priority")) as Priority,
      categoryId: (f.get("categoryId") as string) || null,
      clientRequestId,
      attachmentIds: uploads.ids,
    });
  }

  return (
    <section className="card" style={{ maxWidth: 720 }}>
      <h1>{phone ? t("agentTicketForm.title") : t("ticketForm.title")}</h1>
      {phone && <p className="muted">{t("agentTicketForm.intro")}</p>}
      <p className="muted">{t("ticketForm.requiredHint")}</p>
      <form className="stack" onSubmit={onSubmit} noValidate>
        {phone && (
          <label>
            {t("agentTicketForm.requesterEmail")} *
            <input name="requesterEmail" type="email" required autoComplete="off" maxLength={320} aria-invalid={!!fieldErrors.requesterEmail} />
            {fieldErrors.requesterEmail && <span className="error">{fieldErrors.requesterEmail[0]}</span>}
          </label>
        )}
        <label>
          {t("ticketForm.subject")} *
          <input name="subject" required maxLength={SUBJECT_MAX} aria-invalid={!!fieldErrors.subject} ref={subjectRef} onChange={(e) => setSubject(e.target.value)} />
          {fieldErrors.subject && <span className="error">{fieldErrors.subject[0]}</span>}
        </label>
        {/* A suggested article that solved the problem: no ticket is sent, the draft is left behind (seeds 001, 002). */}
        <ArticleSuggestions text={subject} deflection={phone ? undefined : { draftId: clientRequestId, onSolved: () => router.replace(deflectedPortalPath) }} />
        <label>
          {t("ticketForm.description")} *
          <textarea name="description" required aria-invalid={!!fieldErrors.description} />
          {fieldErrors.description && <span className="error">{fieldErrors.description[0]}</span>}
        </label>
        <NewTicketHelp />
        <div className="row">
          <label>
            {t("ticketForm.priority")}
            <select name="priority" defaultValue="MEDIUM">
              <PriorityOptions />
            </select>
          </label>
          <label>
            {t("ticketForm.category")}
            <select name="categoryId" defaultValue="">
              <CategoryOptions categories={categories.data} />
            </select>
          </label>
        </div>
        <AttachmentPicker uploads={uploads} />
        {uploadsPending(uploads, t) && <p className="muted">{uploadsPending(uploads, t)}</p>}
        <FormError error={create.error} />
        <div>
          {/* Until the page's script runs, a click would submit the form natively, its text in the address. */}
          <button type="submit" disabled={!hydrated || create.isPending || create.isSuccess || uploads.busy}>
            {phone
              ? create.isPending
                ? t("agentTicketForm.sending")
                : t("agentTicketForm.submit")
              : create.isPending
                ? t("ticketForm.sending")
                : t("ticketForm.submit")}
          </button>
        </div>
      </form>
    </section>
  );
}
