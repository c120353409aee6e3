import { translate, isLocale } from "~/i18n";
import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import type { TicketStatus } from "~/shared/enums";
import type { Deps } from "../deps";
import type { SlaPolicy, SlaSubject } from "../sla/policy";
import { changeStatus } from "./change-status";

/** The ticket's policy's (seed 000: waiting on the customer with no answer for 24 h; seed 002: resolved for 72 h). */
function hoursBeforeClosing(policy: SlaPolicy, status: TicketStatus): number | null {
  if (status === "WAITING_ON_CUSTOMER") return policy.closeWaitingAfterHours;
  if (status === "RESOLVED") return policy.closeResolvedAfterHours;
  return null;
}

/** When a ticket that entered `status` at `since` closes by itself, if it does. */
export async function autoCloseAt(deps: Pick<Deps, "sla">, ticket: SlaSubject, status: TicketStatus, since: Date): Promise<Date | null> {
  const hours = hoursBeforeClosing((await deps.sla.forTicket(ticket)).policy, status);
  return hours === null ? null : new Date(since.getTime() + hours * 3600_000);
}

/**
 * Closes the ticket if its time has come (a timer fired, or the sweep found it): still waiting on
 * the customer, or still resolved, for the whole time. Otherwise nothing — so a timer made stale by
 * a reply, or fired twice, changes nothing.
 */
export async function closeIfDue(deps: Deps, ticketId: string): Promise<boolean> {
  const { rows } = await sqlOf(deps.db).query<{ status: TicketStatus; since: Date | null; number: number; requesterId: string } & SlaSubject>(
    sql`SELECT status::text AS status, CASE status WHEN 'WAITING_ON_CUSTOMER' THEN "slaPausedAt" WHEN 'RESOLVED' THEN "resolvedAt" END AS since,
      number, "requesterId", "categoryId", channel::text AS channel FROM "Ticket" WHERE id = ${ticketId}`,
  );
  const t = rows[0];
  const policy = t ? (await deps.sla.forTicket(t)).policy : null;
  const hours = t && policy ? hoursBeforeClosing(policy, t.status) : null;
  if (!t?.since || hours === null || t.since.getTime() + hours * 3600_000 > deps.clock.now().getTime()) return false;
  const closed = await changeStatus(deps, {
    ticketId,
    from: t.status,
    to: "CLOSED",
    actorId: null,
    reason: (locale) => translate(isLocale(locale) ? locale : "es", `email.autoClose.${t.status as "WAITING_ON_CUSTOMER" | "RESOLVED"}`, { hours }),
  });
  if (!closed) return false;
  await deps.bus.publish({ type: "ticket.updated", ticketId, number: t.number, requesterId: t.requesterId, emailIds: closed.emailIds });
  return true;
}

/**
 * The reconciler: every ticket whose automatic close is due, whether or not its timer survived
 * (Redis lost, a worker down). Run every minute by the workers; a timer is late by at most that.
 */
export async function closeDueTickets(deps: Deps, batch = 500, onError: (ticketId: string, err: unknown) => void = () => {}): Promise<number> {
  const now = deps.clock.now().getTime();
  // The shortest time of any policy finds every candidate; closeIfDue checks each against its own.
  const policies = (await deps.sla.all()).map((s) => s.policy);
  const waitingBefore = new Date(now - Math.min(...policies.map((p) => p.closeWaitingAfterHours)) * 3600_000);
  const resolvedBefore = new Date(now - Math.min(...policies.map((p) => p.closeResolvedAfterHours)) * 3600_000);
  const { rows } = await sqlOf(deps.db).query<{ id: string }>(
    sql`SELECT id FROM "Ticket" WHERE (status = 'WAITING_ON_CUSTOMER' AND "slaPausedAt" <= ${waitingBefore})
      OR (status = 'RESOLVED' AND "resolvedAt" <= ${resolvedBefore}) ORDER BY "updatedAt" LIMIT ${batch}`,
  );
  let closed = 0;
  for (const { id } of rows) {
    // One ticket that fails (and keeps failing) must not hold back the others behind it.
    try {
      if (await closeIfDue(deps, id)) closed++;
    } catch (err) {
      onError(id, err);
    }
  }
  return closed;
}
