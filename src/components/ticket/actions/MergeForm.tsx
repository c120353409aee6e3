"use client";
import { useId, useState, type FormEvent } from "react";
import { ConfirmDialog } from "~/components/ui/ConfirmDialog";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";
import { isTicketChanged } from "../ticket-version";

interface Target {
  number: number;
  subject: string;
  version: number;
}

/**
 * Merges this ticket (the duplicate) into the one the agent names by number, after a confirmation
 * that shows the survivor's subject: both versions the agent saw go with the request.
 */
export function MergeForm({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const utils = api.useUtils();
  const [number, setNumber] = useState("");
  const [target, setTarget] = useState<Target | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const merge = api.ticket.merge.useMutation({ onSuccess: onDone, onError: (err) => isTicketChanged(err) && onDone() });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    merge.reset();
    const n = Number(number.replace(/^#/, ""));
    if (!Number.isInteger(n) || n <= 0) {
      setLookupError(t("actions.mergeTargetRequired"));
      return;
    }
    try {
      const found = await utils.ticket.get.fetch({ number: n });
      setLookupError(null);
      setTarget({ number: found.number, subject: found.subject, version: found.version });
    } catch {
      setLookupError(t("errors.MERGE_TARGET_NOT_FOUND", { number: n }));
    }
  }

  return (
    <details className="card">
      <summary>{t("actions.merge")}</summary>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-number`}>{t("actions.mergeTarget")}</label>
          <input
            id={`${ids}-number`}
            inputMode="numeric"
            value={number}
            onChange={(e) => {
              setNumber(e.target.value);
              setTarget(null);
            }}
            aria-invalid={!!lookupError}
            aria-describedby={`${ids}-help`}
          />
          <span id={`${ids}-help`} className={lookupError ? "error" : "muted"} role={lookupError ? "alert" : undefined}>
            {lookupError ?? t("actions.mergeHelp")}
          </span>
        </div>
        <div>
          <button type="submit" className="secondary">
            {t("actions.mergeSubmit")}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={!!target}
        message={target && t("actions.mergeConfirm", { number: ticket.number, target: target.number })}
        details={
          target && (
            <>
              <p className="muted">
                #{target.number} · {target.subject}
              </p>
              <FormError error={merge.error} />
            </>
          )
        }
        confirmLabel={t("actions.mergeConfirmSubmit")}
        cancelLabel={t("actions.cancel")}
        busy={merge.isPending}
        onConfirm={() => target && merge.mutate({ ticketId: ticket.id, targetNumber: target.number, version: ticket.version, targetVersion: target.version })}
        onCancel={() => setTarget(null)}
      />
    </details>
  );
}
