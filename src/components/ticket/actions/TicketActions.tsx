"use client";
import { RejectForm } from "~/components/ticket/RejectForm";
import { useI18n } from "~/i18n/react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { EvaluationSummary } from "./EvaluationSummary";
import { MergeForm } from "./MergeForm";
import { RequestInfoForm } from "./RequestInfoForm";
import { ResolveForm } from "./ResolveForm";

/** The agent's actions on a ticket (seed 003), each offered only where it applies. */
export function TicketActions({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const { t } = useI18n();
  const s = ticket.status;
  const merged = !!ticket.mergedInto;
  const working = s === "OPEN" || s === "IN_PROGRESS";
  return (
    <section aria-label={t("actions.title")} className="stack">
      {!merged && working && <RequestInfoForm ticket={ticket} onDone={onDone} />}
      {!merged && (working || s === "WAITING_ON_CUSTOMER") && <ResolveForm ticket={ticket} onDone={onDone} />}
      {!merged && s !== "CLOSED" && s !== "REJECTED" && <MergeForm ticket={ticket} onDone={onDone} />}
      {!merged && s !== "REJECTED" && <RejectForm ticketId={ticket.id} number={ticket.number} version={ticket.version} onDone={onDone} />}
      {(s === "RESOLVED" || s === "CLOSED" || ticket.evaluation) && <EvaluationSummary ticket={ticket} />}
    </section>
  );
}
