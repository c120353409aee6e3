"use client";
import { useState, type FormEvent } from "react";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { FormError } from "~/components/ui/FormError";

/** Rejecting needs a reason (seed 003): it is shown to the customer and mailed to them. */
export function RejectForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const reject = api.ticket.setStatus.useMutation({ onSuccess: onDone });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    reject.mutate({ ticketId, status: "REJECTED", reason });
  }
  return (
    <details className="card">
      <summary>{t("ticket.reject")}</summary>
      <form className="stack" onSubmit={onSubmit}>
        <label>
          {t("ticket.rejectReason")}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} required />
        </label>
        <FormError error={reject.error} />
        <div>
          <button type="submit" disabled={reject.isPending}>
            {t("ticket.rejectSubmit")}
          </button>
        </div>
      </form>
    </details>
  );
}
