"use client";
import { useId, useState, type FormEvent } from "react";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { FormError } from "~/components/ui/FormError";
import { isTicketChanged } from "./ticket-version";

/**
 * Rejecting (seed 003: a ticket that does not meet the minimum conditions, with the reason) ends the
 * ticket without solving it, so it looks like the destructive action it is and asks once more
 * before it happens. The reason is required: it is shown to the customer and mailed to them.
 */
export function RejectForm({ ticketId, number, version, onDone }: { ticketId: string; number: number; version: number; onDone: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const reject = api.ticket.setStatus.useMutation({
    onSuccess: () => {
      setConfirming(false);
      onDone();
    },
    // Made from an older view of the ticket: refused in words, and the page shows the ticket as it is now.
    onError: (err) => isTicketChanged(err) && onDone(),
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    reject.reset();
    if (!reason.trim()) {
      setMissing(true);
      setConfirming(false);
      return;
    }
    setMissing(false);
    setConfirming(true);
  }

  return (
    <details className="card danger-zone">
      <summary className="error">{t("ticket.reject")}</summary>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-reason`}>{t("ticket.rejectReason")}</label>
          <textarea
            id={`${ids}-reason`}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setConfirming(false);
            }}
            required
            aria-required="true"
            aria-invalid={missing}
            aria-describedby={`${ids}-help`}
          />
          <span id={`${ids}-help`} className={missing ? "error" : "muted"} role={missing ? "alert" : undefined}>
            {missing ? t("actions.rejectReasonRequired") : t("actions.rejectHelp")}
          </span>
        </div>
        <div>
          <button type="submit" className="danger">
            {t("actions.rejectSubmit")}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        message={t("actions.rejectConfirm", { number })}
        details={<FormError error={reject.error} />}
        confirmLabel={t("actions.rejectConfirmSubmit")}
        cancelLabel={t("actions.cancel")}
        busy={reject.isPending}
        onConfirm={() => reject.mutate({ ticketId, status: "REJECTED", reason, version })}
        onCancel={() => setConfirming(false)}
      />
    </details>
  );
}
