"use client";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";
import { isTicketChanged } from "../ticket-version";
import { AnswerActionForm } from "./AnswerActionForm";

/** "Solicitar información": the question goes to the customer and the ticket waits on them. */
export function RequestInfoForm({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const { t } = useI18n();
  const request = api.ticket.requestInfo.useMutation({ onSuccess: onDone, onError: (err) => isTicketChanged(err) && onDone() });
  return (
    <AnswerActionForm
      summary={t("actions.requestInfo")}
      label={t("actions.requestInfoLabel")}
      help={t("actions.requestInfoHelp")}
      submit={t("actions.requestInfoSubmit")}
      requiredMessage={t("errors.INFO_REQUEST_REQUIRED")}
      pending={request.isPending}
      error={request.error}
      onSubmit={(body, clientRequestId) => request.mutateAsync({ ticketId: ticket.id, body, version: ticket.version, clientRequestId })}
    />
  );
}
