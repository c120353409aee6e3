"use client";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";
import { isTicketChanged } from "../ticket-version";
import { AnswerActionForm } from "./AnswerActionForm";

/** "Resolver": the solution is mailed with the link to evaluate it. */
export function ResolveForm({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const { t } = useI18n();
  const resolve = api.ticket.resolve.useMutation({ onSuccess: onDone, onError: (err) => isTicketChanged(err) && onDone() });
  return (
    <AnswerActionForm
      summary={t("actions.resolve")}
      label={t("actions.solutionLabel")}
      help={t("actions.resolveHelp")}
      submit={t("actions.resolveSubmit")}
      requiredMessage={t("errors.SOLUTION_REQUIRED")}
      pending={resolve.isPending}
      error={resolve.error}
      onSubmit={(body, clientRequestId) => resolve.mutateAsync({ ticketId: ticket.id, body, version: ticket.version, clientRequestId })}
    />
  );
}
