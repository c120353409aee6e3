import type { Priority } from "~/shared/enums";
import { addTargetTime, businessTimeBetween, type BusinessCalendar } from "./business-hours";
import type { SlaPolicy, SlaTarget } from "./policy";
import type { SlaSettings } from "./seed-calendar";

export interface RunningDueDates {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

/** The time a target had left when its clock stopped, counted as the target counts. */
function leftAt(cal: BusinessCalendar, target: SlaTarget, pausedAt: Date, due: Date): number {
  return target.businessHours ? businessTimeBetween(cal, pausedAt, due) : Math.max(0, due.getTime() - pausedAt.getTime());
}

function resumed(cal: BusinessCalendar, target: SlaTarget, pausedAt: Date, due: Date | null, now: Date): Date | null {
  // A target already missed when the clock stopped stays missed.
  if (!due || due.getTime() <= pausedAt.getTime()) return due;
  return addTargetTime(cal, now, leftAt(cal, target, pausedAt, due) / 3600_000, target.businessHours);
}

function targetsOf(policy: SlaPolicy, priority: Priority) {
  return { firstResponse: policy.firstResponse, resolution: policy.resolution[priority] };
}

/** The due times a reply that reopens `ticket` writes: null unless its clock was stopped (it waited on the customer). */
export function dueDatesOnReopen(
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
  const deltaMs = (to.hours - from.hours) * 3600_000;
  if (from.businessHours && to.businessHours) return addBusinessTimeMs(cal, openedAt, businessTimeBetween(cal, openedAt, due) + deltaMs);
  if (!from.businessHours && !to.businessHours) return new Date(due.getTime() + deltaMs);
  return addTargetTime(cal, openedAt, to.hours, to.businessHours);
}

function addBusinessTimeMs(cal: BusinessCalendar, from: Date, ms: number): Date {
  return addTargetTime(cal, from, Math.max(0, ms) / 3600_000, true);
}
