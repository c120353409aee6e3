"use client";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { customFieldText, fieldLabel } from "./custom-field-text";

/** The ticket's custom field values, read-only (what the customer sees of them). */
export function CustomFieldValues({ ticket }: { ticket: TicketDetail }) {
  const { t, locale } = useI18n();
  if (!ticket.customFields.length) return null;
  return (
    <section className="card" aria-labelledby="custom-values-title">
      <h2 id="custom-values-title">{t("customFields.title")}</h2>
      <dl className="meta">
        {ticket.customFields.map(({ field, value }) => (
          <div key={field.id} style={{ display: "contents" }}>
            <dt>{fieldLabel(field, locale)}</dt>
            <dd>{customFieldText(field, value, locale, { yes: t("customFields.yes"), no: t("customFields.no") }) ?? "—"}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
