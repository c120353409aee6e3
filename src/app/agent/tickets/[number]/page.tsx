"use client";
import { useParams } from "next/navigation";
import { TicketActions } from "~/components/ticket/actions/TicketActions";
import { ReplyForm } from "~/components/ticket/ReplyForm";
import { TicketPage } from "~/components/ticket/TicketPage";
import { CategoryOptions, PersonOptions, PriorityOptions, StatusOptions, TeamOptions } from "~/components/ui/EnumOptions";
import { useI18n } from "~/i18n/react";
import type { Priority, TicketStatus } from "~/shared/enums";
import { api } from "~/trpc/react";
import { FormError } from "~/components/ui/FormError";
import { CustomFieldsEditor } from "~/components/ticket/CustomFieldsEditor";
import { Presence } from "~/components/ticket/Presence";
import { useVersionedEdit } from "~/components/ticket/ticket-version";
import { TypingNotice } from "~/components/ticket/TypingNotice";
import { TypingSignal } from "~/components/ticket/TypingSignal";
import { useTicketPresence } from "~/components/ticket/useTicketPresence";
import { TicketShortcuts } from "~/components/ticket/TicketShortcuts";

export default function AgentTicketPage() {
  const { t } = useI18n();
  const number = Number(useParams<{ number: string }>().number);
  const agents = api.user.agents.useQuery();
  const teams = api.team.list.useQuery();
  const setStatus = api.ticket.setStatus.useMutation();
  const assign = api.ticket.assign.useMutation();
  const updateDetails = api.ticket.updateDetails.useMutation();
  const categories = api.ticket.categories.useQuery();
  const me = api.user.me.useQuery();
  const error = setStatus.error ?? assign.error ?? updateDetails.error;
  const presence = useTicketPresence(number);
  // Each edit names the version it was made from; a stale one is refused and the page reloads to show why.
  const edited = useVersionedEdit(number);

  return (
    <TicketPage
      number={number}
      belowThread={(ticket, refresh) => (
        <>
          <TypingNotice typing={presence.typing} />
          <TypingSignal onTyping={presence.signalTyping}>
            <ReplyForm ticketId={ticket.id} allowInternal insertArticles onSent={refresh} />
          </TypingSignal>
        </>
      )}
      aside={(ticket, refresh) => (
        <>
        <Presence viewers={presence.others} />
        <TicketShortcuts
          onAssignMe={
            me.data && ticket.assignee?.id !== me.data.id
              ? () => assign.mutate({ ticketId: ticket.id, assigneeId: me.data!.id, version: ticket.version }, edited(refresh))
              : null
          }
        />
        <div className="card stack">
          <label>
            {t("ticket.changeStatus")}
            <select
              value={ticket.status}
              disabled={setStatus.isPending}
              onChange={(e) => setStatus.mutate({ ticketId: ticket.id, status: e.target.value as TicketStatus, version: ticket.version }, edited(refresh))}
            >
              {/* Rejecting asks for a reason: see RejectForm below. */}
              <StatusOptions exclude={ticket.status === "REJECTED" ? [] : ["REJECTED"]} />
            </select>
          </label>
          <label>
            {t("ticket.changePriority")}
            <select
              value={ticket.priority}
              disabled={updateDetails.isPending}
              onChange={(e) => updateDetails.mutate({ ticketId: ticket.id, priority: e.target.value as Priority, version: ticket.version }, edited(refresh))}
            >
              <PriorityOptions />
            </select>
          </label>
          <label>
            {t("ticket.changeCategory")}
            <select
              value={ticket.category?.id ?? ""}
              disabled={updateDetails.isPending}
              onChange={(e) => updateDetails.mutate({ ticketId: ticket.id, categoryId: e.target.value || null, version: ticket.version }, edited(refresh))}
            >
              <CategoryOptions categories={categories.data} />
            </select>
          </label>
          <label>
            {t("ticket.assignTo")}
            <select
              value={ticket.assignee?.id ?? ""}
              disabled={assign.isPending}
              onChange={(e) => assign.mutate({ ticketId: ticket.id, assigneeId: e.target.value || null, version: ticket.version }, edited(refresh))}
            >
              <option value="">{t("ticket.unassigned")}</option>
              <PersonOptions people={agents.data} />
            </select>
          </label>
          <label>
            {t("ticket.team")}
            <select
              value={ticket.team?.id ?? ""}
              disabled={assign.isPending}
              onChange={(e) => assign.mutate({ ticketId: ticket.id, teamId: e.target.value || null, version: ticket.version }, edited(refresh))}
            >
              <option value="">{t("queue.noTeam")}</option>
              {/* A deactivated team the ticket still has stays listed, so the select shows the truth. */}
              {ticket.team && !teams.data?.some((team) => team.id === ticket.team!.id) && <option value={ticket.team.id}>{ticket.team.name}</option>}
              <TeamOptions teams={teams.data} />
            </select>
          </label>
          <FormError error={error} />
          <TicketActions ticket={ticket} onDone={refresh} />
        </div>
        <CustomFieldsEditor ticket={ticket} refresh={refresh} />
        </>
      )}
    />
  );
}
