"use client";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";
import { EvaluationForm } from "./EvaluationForm";

/** The requester's own ticket page, once it is resolved or closed: the same question as the mail's link. */
export function CustomerEvaluation({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const evaluate = api.ticket.evaluate.useMutation({ onSuccess: onDone });
  if (ticket.mergedInto || (ticket.status !== "RESOLVED" && ticket.status !== "CLOSED")) return null;
  return (
    <EvaluationForm
      current={ticket.evaluation}
      pending={evaluate.isPending}
      error={evaluate.error}
      onAnswer={(helpful, comment) => evaluate.mutateAsync({ ticketId: ticket.id, helpful, comment })}
    />
  );
}
