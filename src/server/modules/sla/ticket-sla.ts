import type { Priority } from "~/shared/enums";
import type { Deps } from "../deps";
import { addBusinessTime, businessTimeBetween } from "./business-hours";
import { dueDatesFor, retargetDue, type RunningDueDates, type SlaDueDates } from "./due-times";
import type { SlaSettings, SlaSubject, SlaTarget } from "./policy";

// Where a ticket's SLA settings come in: the policy its category and channel choose (deps.sla).

const H = 3600_000;

/** The due times of a ticket opening now, under the policy it falls in. */
export async function newTicketDueDates(deps: Pick<Deps, "sla">, ticket: SlaSubject, openedAt: Date, priority: Priority): Promise<SlaDueDates> {
  const { calendar, policy } = await deps.sla.forTicket(ticket);
  return dueDatesFor(calendar, policy, openedAt, priority);
}

export interface ReclassifiedTicket extends SlaSubject, RunningDueDates {
  createdAt: Date;
  priority: Priority;
  firstResponseAt: Date | null;
}

/**
 * The due times after a ticket's priority, category or channel changed: each target still running
 * moves to the one its new policy (and priority) sets, keeping the time it was paused, and its
 * warning with it (the new policy's warnAtPercent of the new target). Only the columns that move;
 * null when none does.
 */
export async function reclassifiedDueDates(
  deps: Pick<Deps, "sla">,
  ticket: ReclassifiedTicket,
  to: SlaSubject & { priority: Priority },
): Promise<Partial<RunningDueDates> | null> {
  const before = await deps.sla.forTicket(ticket);
  const after = await deps.sla.forTicket(to);
  if (before === after && ticket.priority === to.priority) return null;
  const out: Partial<RunningDueDates> = {};
  const warn = after.policy.warnAtPercent / 100;
  if (ticket.resolutionDueAt) {
    const [from, target] = [before.policy.resolution[ticket.priority], after.policy.resolution[to.priority]];
    out.resolutionDueAt = moved(before, after, ticket.createdAt, ticket.resolutionDueAt, from, target);
    out.resolutionWarnAt = moved(before, after, ticket.createdAt, ticket.resolutionDueAt, from, target, warn);
  }
  if (before !== after && ticket.firstResponseDueAt && !ticket.firstResponseAt) {
    const [from, target] = [before.policy.firstResponse, after.policy.firstResponse];
    out.firstResponseDueAt = moved(before, after, ticket.createdAt, ticket.firstResponseDueAt, from, target);
    out.firstResponseWarnAt = moved(before, after, ticket.createdAt, ticket.firstResponseDueAt, from, target, warn);
  }
  return Object.keys(out).length ? out : null;
}

/** `share` < 1: the warning time at that share of the new target (the pauses are still the old due time's). */
function moved(before: SlaSettings, after: SlaSettings, openedAt: Date, due: Date, from: SlaTarget, to: SlaTarget, share = 1): Date {
  if (before.calendar === after.calendar) return retargetDue(after.calendar, openedAt, due, from, to, share);
  // Another calendar: the time paused so far (what the old due held beyond its target, in the old
  // calendar's open time) is added to the new target, counted in the new calendar.
  const held = from.businessHours ? businessTimeBetween(before.calendar, openedAt, due) : due.getTime() - openedAt.getTime();
  const paused = Math.max(0, held - from.hours * H);
  const ms = Math.round(to.hours * H * share) + paused;
  return to.businessHours ? addBusinessTime(after.calendar, openedAt, ms) : new Date(openedAt.getTime() + ms);
}
