"use client";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { useFormField } from "./useFormField";

/**
 * Seed 001: a follow-up "no debe generar un nuevo ticket para responder el anterior". While the
 * subject is typed, the customer's own open tickets with a resembling subject are offered, with a
 * link to add the message there; sending a new ticket stays possible.
 */
export function SimilarTicketOffer({ subject, field = "subject" }: { subject?: string; field?: string }) {
  const { t } = useI18n();
  const anchor = useRef<HTMLDivElement>(null);
  const fieldValue = useFormField(anchor, subject === undefined ? field : undefined);
  const typed = (subject ?? fieldValue).trim();
  // Asked once the typing pauses, not on every key.
  const [asked, setAsked] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setAsked(typed), 400);
    return () => clearTimeout(timer);
  }, [typed]);
  const similar = api.profile.similarOpenTickets.useQuery({ subject: asked }, { enabled: asked.length >= 4, staleTime: 30_000 });
  const offers = asked.length >= 4 ? (similar.data ?? []) : [];

  return (
    <div ref={anchor} aria-live="polite">
      {offers.length > 0 && (
        <div className="similar-ticket card" role="note">
          <ul className="plain stack">
            {offers.map((o) => (
              <li key={o.number}>
                {t("writing.similar.question", { number: o.number })}{" "}
                <a href={`/portal/tickets/${o.number}`}>{t("writing.similar.link", { number: o.number })}</a>
                <span className="muted"> — {o.subject}</span>
              </li>
            ))}
          </ul>
          <p className="muted">{t("writing.similar.stillNew")}</p>
        </div>
      )}
    </div>
  );
}
