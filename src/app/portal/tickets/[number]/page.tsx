"use client";
import { useParams, useRouter } from "next/navigation";
import { CustomFieldValues } from "~/components/ticket/CustomFieldValues";
import { MarkViewed } from "~/components/portal/MarkViewed";
import { ReopenTicket } from "~/components/portal/ReopenTicket";
import { ReplyForm } from "~/components/ticket/ReplyForm";
import { CustomerEvaluation } from "~/components/ticket/actions/CustomerEvaluation";
import { TicketPage } from "~/components/ticket/TicketPage";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

const isOpen = (status: string) => status !== "CLOSED" && status !== "REJECTED";

export default function CustomerTicketPage() {
  const { t } = useI18n();
  const number = Number(useParams<{ number: string }>().number);
  const router = useRouter();
  const close = api.ticket.setStatus.useMutation();
  const me = api.user.me.useQuery();
  // Another customer's ticket, shared by the organization (/admin/organizaciones): followed, not acted on.
  const sharedOnly = (ticket: { requester: { id: string; name: string | null; email: string } }) => !!me.data && ticket.requester.id !== me.data.id;
  return (
    <TicketPage
      number={number}
      belowThread={(ticket, refresh) =>
        sharedOnly(ticket) ? (
          <p className="notice" role="note">
            {t("people.myTickets.sharedNotice", { name: ticket.requester.name ?? ticket.requester.email })}
          </p>
        ) : (
        <>
          <MarkViewed ticket={ticket} />
          <ReopenTicket ticket={ticket} onDone={refresh} />
          {/* A reply to a closed ticket opens a new one that continues it: the page goes there. A merged one points to its survivor instead. */}
          {!isOpen(ticket.status) && !ticket.mergedInto && <p className="muted">{t("ticket.followUpHint")}</p>}
          {!ticket.mergedInto && <ReplyForm ticketId={ticket.id} allowInternal={false} onSent={refresh} onFollowUp={(n) => router.push(`/portal/tickets/${n}`)} />}
          <div id="evaluacion">
            <CustomerEvaluation ticket={ticket} onDone={refresh} />
          </div>
        </>
        )
      }
      aside={(ticket, refresh) => (
        <>
          {isOpen(ticket.status) && !sharedOnly(ticket) && (
            <button type="button" className="secondary" onClick={() => close.mutate({ ticketId: ticket.id, status: "CLOSED" }, { onSuccess: refresh })}>
              {t("ticket.close")}
            </button>
          )}
          <CustomFieldValues ticket={ticket} />
        </>
      )}
    />
  );
}
