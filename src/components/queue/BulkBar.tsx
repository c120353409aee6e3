"use client";
import { useState } from "react";
import { PersonOptions, PriorityOptions, StatusOptions, TeamOptions } from "~/components/ui/EnumOptions";
import { useI18n } from "~/i18n/react";
import type { Priority, TicketStatus } from "~/shared/enums";
import { QUEUE_BULK_MAX } from "~/shared/queue";
import type { BulkResult } from "~/shared/schemas/queue";
import type { Person } from "~/shared/schemas/person";
import { api } from "~/trpc/react";

type Action = { type: "assign"; assigneeId: string | null } | { type: "team"; teamId: string | null } | { type: "status"; status: Exclude<TicketStatus, "REJECTED"> } | { type: "priority"; priority: Priority };

/** Assign / set status / set priority on the selected tickets, then say what changed and what refused. */
export function BulkBar({ selected, numbers, agents, teams, onDone, onClear }: {
  selected: string[];
  numbers: ReadonlyMap<string, number>;
  agents: Person[] | undefined;
  teams: Array<{ id: string; name: string }> | undefined;
  onDone: () => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const [assignee, setAssignee] = useState("");
  const [team, setTeam] = useState("");
  const [status, setStatus] = useState<Exclude<TicketStatus, "REJECTED">>("IN_PROGRESS");
  const [priority, setPriority] = useState<Priority>("HIGH");
  const [result, setResult] = useState<BulkResult | null>(null);
  const bulk = api.ticket.bulkUpdate.useMutation({
    onSuccess: (r) => {
      setResult(r);
      onDone();
    },
  });
  const tooMany = selected.length > QUEUE_BULK_MAX;
  const apply = (action: Action) => {
    setResult(null);
    bulk.mutate({ ticketIds: selected, action });
  };
  const disabled = selected.length === 0 || tooMany || bulk.isPending;

  return (
    <section className={selected.length > 0 || result ? "card bulk-bar" : "bulk-bar"} aria-label={t("queue.selected", { count: selected.length })}>
      {selected.length > 0 && (
      <div className="row">
        <strong>{t("queue.selected", { count: selected.length })}</strong>
        <form className="row" onSubmit={(e) => (e.preventDefault(), apply({ type: "assign", assigneeId: assignee || null }))}>
          <label>
            {t("queue.bulkAssign")}
            <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              <option value="">{t("ticket.unassigned")}</option>
              <PersonOptions people={agents} />
            </select>
          </label>
          <button type="submit" disabled={disabled}>
            {t("queue.bulkAssignApply")}
          </button>
        </form>
        <form className="row" onSubmit={(e) => (e.preventDefault(), apply({ type: "team", teamId: team || null }))}>
          <label>
            {t("queue.bulkTeam")}
            <select value={team} onChange={(e) => setTeam(e.target.value)}>
              <option value="">{t("queue.noTeam")}</option>
              <TeamOptions teams={teams} />
            </select>
          </label>
          <button type="submit" disabled={disabled}>
            {t("queue.bulkTeamApply")}
          </button>
        </form>
        <form className="row" onSubmit={(e) => (e.preventDefault(), apply({ type: "status", status }))}>
          <label>
            {t("queue.bulkStatus")}
            <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <StatusOptions exclude={["REJECTED"]} />
            </select>
          </label>
          <button type="submit" disabled={disabled}>
            {t("queue.bulkStatusApply")}
          </button>
        </form>
        <form className="row" onSubmit={(e) => (e.preventDefault(), apply({ type: "priority", priority }))}>
          <label>
            {t("queue.bulkPriority")}
            <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
              <PriorityOptions />
            </select>
          </label>
          <button type="submit" disabled={disabled}>
            {t("queue.bulkPriorityApply")}
          </button>
        </form>
        <button type="button" className="secondary" onClick={onClear}>
          {t("queue.bulkClear")}
        </button>
      </div>
      )}
      <div aria-live="polite">
        {tooMany && <p className="error">{t("queue.bulkTooMany", { max: QUEUE_BULK_MAX })}</p>}
        {bulk.isPending && <p>{t("queue.bulkWorking")}</p>}
        {bulk.error && <p className="error">{bulk.error.message}</p>}
        {result && (
          <>
            <p>{t("queue.bulkDone", { count: result.updated.length })}</p>
            {result.failed.length > 0 && (
              <>
                <p className="error">{t("queue.bulkFailed")}</p>
                <ul>
                  {result.failed.map((f) => (
                    <li key={f.ticketId}>
                      #{numbers.get(f.ticketId) ?? "?"}: {t(`errors.${f.code}` as Parameters<typeof t>[0])}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </div>
    </section>
  );
}
