import type { Priority } from "~/shared/enums";
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from "./business-hours";
import type { SlaPolicy, SlaSettings, SlaTarget } from "./policy";

// Every due time of the SLA: set as a ticket opens, moved when its clock restarts after a wait on the
// customer, moved again when its priority changes.

const H = 3600_000;

export interface SlaDueDates {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** The due times of a ticket opened at `openedAt` with this priority. */
export function dueDatesFor(cal: BusinessCalendar, policy: SlaPolicy, openedAt: Date, priority: Priority): SlaDueDates {
  const first = policy.firstResponse;
  const resolution = policy.resolution[priority];
  return {
    firstResponseDueAt: later(cal, first, openedAt, first.hours * H),
    resolutionDueAt: later(cal, resolution, openedAt, resolution.hours * H),
  };
}

export interface RunningDueDates {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

/** The time a target had left when its clock stopped, counted as the target counts. */
function leftAt(cal: BusinessCalendar, target: SlaTarget, pausedAt: Date, due: Date): number {
  return target.businessHours ? businessTimeBetween(cal, pausedAt, due) : Math.max(0, due.getTime() - pausedAt.getTime());
}

/** `ms` later than `from`, counted as the target counts. */
function later(cal: BusinessCalendar, target: SlaTarget, from: Date, ms: number): Date {
  return target.businessHours ? addBusinessTime(cal, from, ms) : new Date(from.getTime() + Math.max(0, ms));
}

function resumed(cal: BusinessCalendar, target: SlaTarget, pausedAt: Date, due: Date | null, now: Date): Date | null {
  // A target already missed when the clock stopped stays missed.
  if (!due || due.getTime() <= pausedAt.getTime()) return due;
  return later(cal, target, now, leftAt(cal, target, pausedAt, due));
}

function targetsOf(policy: SlaPolicy, priority: Priority) {
  return { firstResponse: policy.firstResponse, resolution: policy.resolution[priority] };
}

/** The due times once a stopped SLA clock runs again (the wait on the customer ends): null when it was not stopped. */
export function restartedDueDates(
  sla: SlaSettings,
  ticket: RunningDueDates & { priority: Priority; slaPausedAt: Date | null; firstResponseAt: Date | null },
  now: Date,
): RunningDueDates | null {
  return ticket.slaPausedAt ? resumeDueDates(sla, ticket.priority, ticket, ticket.slaPausedAt, now, !!ticket.firstResponseAt) : null;
}

/**
 * The due times of a ticket whose SLA clock stopped at `pausedAt` (it waited on the customer) and
 * runs again at `now`: each target keeps the time it had left. A first response already given has
 * no due time left to move.
 */
export function resumeDueDates(sla: SlaSettings, priority: Priority, due: RunningDueDates, pausedAt: Date, now: Date, answered: boolean): RunningDueDates {
  const targets = targetsOf(sla.policy, priority);
  return {
    firstResponseDueAt: answered ? due.firstResponseDueAt : resumed(sla.calendar, targets.firstResponse, pausedAt, due.firstResponseDueAt, now),
    resolutionDueAt: resumed(sla.calendar, targets.resolution, pausedAt, due.resolutionDueAt, now),
  };
}

/**
 * A due time under another target (the priority changed): the open time the ticket has had since it
 * opened, less the time it was paused, now counts against the new target. With both targets in open
 * hours the pauses are what the old due time held beyond its target; across kinds, counted afresh.
 */
export function retargetDue(cal: BusinessCalendar, openedAt: Date, due: Date, from: SlaTarget, to: SlaTarget): Date {
  const deltaMs = (to.hours - from.hours) * H;
  if (from.businessHours && to.businessHours) return later(cal, to, openedAt, businessTimeBetween(cal, openedAt, due) + deltaMs);
  if (!from.businessHours && !to.businessHours) return later(cal, to, openedAt, due.getTime() - openedAt.getTime() + deltaMs);
  return later(cal, to, openedAt, to.hours * H);
}
