"use client";
import { useEffect, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import type { CustomFieldDefinition, CustomFieldValue } from "~/shared/schemas/custom-fields";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";
import { fieldLabel } from "./custom-field-text";
import { isTicketChanged, useNoteVersion } from "./ticket-version";

type Draft = string | boolean;

function asInput(field: CustomFieldDefinition, value: CustomFieldValue | undefined): Draft {
  if (field.type === "BOOLEAN") return value === true;
  return value === undefined ? "" : String(value);
}

/**
 * The agent fills in the ticket's custom fields and saves them together: one change per field, each
 * made from the version the previous one left, so a change by someone else in between is refused
 * (TICKET_CHANGED) and the page reloads to show it. What the agent typed stays until it is saved.
 */
export function CustomFieldsEditor({ ticket, refresh }: { ticket: TicketDetail; refresh: () => void }) {
  const { t, locale } = useI18n();
  // The ticket's fields: its category's own and the common ones; asked again when its category changes.
  const fields = api.ticket.customFields.useQuery({ ticketId: ticket.id });
  const categoryId = ticket.category?.id ?? null;
  const { refetch } = fields;
  useEffect(() => {
    void refetch();
  }, [categoryId, refetch]);
  const set = api.ticket.setCustomField.useMutation();
  const noteVersion = useNoteVersion(ticket.number);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [error, setError] = useState<{ message: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  if (!fields.data?.length) return null;

  const stored = new Map(ticket.customFields.map((v) => [v.field.id, v.value]));
  const shown = (f: CustomFieldDefinition) => drafts[f.id] ?? asInput(f, stored.get(f.id));
  const edit = (id: string, value: Draft) => {
    setSaved(false);
    setDrafts((d) => ({ ...d, [id]: value }));
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    setPending(true);
    let version = ticket.version;
    try {
      for (const f of fields.data ?? []) {
        const draft = drafts[f.id];
        if (draft === undefined) continue;
        if (draft !== asInput(f, stored.get(f.id))) {
          const res = await set.mutateAsync({ ticketId: ticket.id, fieldId: f.id, value: draft === "" ? null : draft, version });
          version = res.version;
          noteVersion(version);
        }
        setDrafts(({ [f.id]: _, ...rest }) => rest);
      }
      setSaved(true);
      refresh();
    } catch (err) {
      setError(err as { message: string });
      if (isTicketChanged(err)) refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="custom-fields-title">
      <h2 id="custom-fields-title">{t("customFields.title")}</h2>
      {fields.data.map((f) => {
        const label = `${fieldLabel(f, locale)}${f.required ? " *" : ""}`;
        const help = locale === "en" ? f.helpTextEn : f.helpTextEs;
        const value = shown(f);
        if (f.type === "BOOLEAN") {
          return (
            <label key={f.id} className="inline">
              <input type="checkbox" checked={value === true} aria-required={f.required || undefined} title={help ?? undefined} onChange={(e) => edit(f.id, e.target.checked)} /> {label}
            </label>
          );
        }
        return (
          <label key={f.id}>
            {label}
            {f.type === "SELECT" ? (
              <select value={String(value)} onChange={(e) => edit(f.id, e.target.value)} required={f.required} aria-required={f.required || undefined}>
                <option value="">{t("customFields.noValue")}</option>
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {locale === "en" ? o.labelEn : o.labelEs}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type={f.type === "NUMBER" ? "number" : f.type === "DATE" ? "date" : "text"}
                step={f.type === "NUMBER" ? "any" : undefined}
                maxLength={f.type === "TEXT" ? 1000 : undefined}
                value={String(value)}
                required={f.required}
                aria-required={f.required || undefined}
                onChange={(e) => edit(f.id, e.target.value)}
              />
            )}
            {help && <span className="muted">{help}</span>}
          </label>
        );
      })}
      <FormError error={error} />
      {saved && (
        <p role="status" className="muted">
          {t("customFields.saved")}
        </p>
      )}
      <div>
        <button type="submit" disabled={pending || Object.keys(drafts).length === 0}>
          {t("customFields.save")}
        </button>
      </div>
    </form>
  );
}
