import type { Priority } from "~/shared/enums";
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from "./business-hours";
import type { SlaPolicy, SlaSettings, SlaTarget } from "./policy";

// Every due time of the SLA, and the warning time beside each (the instant policy.warnAtPercent of the
// target's time has passed, counted as the target counts): set as a ticket opens, moved when its clock
// restarts after a wait on the customer, moved again when its priority changes.

const H = 3600_000;

export interface SlaDueDates {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseWarnAt: Date;
  resolutionWarnAt: Date;
}

/** The target's time in ms, or the warning share of it. */
function timeOf(target: SlaTarget, share: number): number {
  return Math.round(target.hours * H * share);
}

const warnShare = (policy: SlaPolicy) => policy.warnAtPercent / 100;

/** The due and warning times of a ticket opened at `openedAt` with this priority. */
export function dueDatesFor(cal: BusinessCalendar, policy: SlaPolicy, openedAt: Date, priority: Priority): SlaDueDates {
  const first = policy.firstResponse;
  const resolution = policy.resolution[priority];
  const warn = warnShare(policy);
  return {
    firstResponseDueAt: later(cal, first, openedAt, timeOf(first, 1)),
    resolutionDueAt: later(cal, resolution, openedAt, timeOf(resolution, 1)),
    firstResponseWarnAt: later(cal, first, openedAt, timeOf(first, warn)),
    resolutionWarnAt: later(cal, resolution, openedAt, timeOf(resolution, warn)),
  };
}

export interface RunningDueDates {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseWarnAt: Date | null;
  resolutionWarnAt: Date | null;
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
  // A target already missed (a warning already due) when the clock stopped stays so.
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
 * The due and warning times of a ticket whose SLA clock stopped at `pausedAt` (it waited on the
 * customer) and runs again at `now`: each keeps the time it had left. A first response already
 * given has nothing left to move.
 */
export function resumeDueDates(sla: SlaSettings, priority: Priority, due: RunningDueDates, pausedAt: Date, now: Date, answered: boolean): RunningDueDates {
  const targets = targetsOf(sla.policy, priority);
  const first = (at: Date | null) => (answered ? at : resumed(sla.calendar, targets.firstResponse, pausedAt, at, now));
  const resolution = (at: Date | null) => resumed(sla.calendar, targets.resolution, pausedAt, at, now);
  return {
    firstResponseDueAt: first(due.firstResponseDueAt),
    resolutionDueAt: resolution(due.resolutionDueAt),
    firstResponseWarnAt: first(due.firstResponseWarnAt),
    resolutionWarnAt: resolution(due.resolutionWarnAt),
  };
}

/**
 * A due time under another target (the priority changed): the open time the ticket has had since it
 * opened, less the time it was paused, now counts against the new target. With both targets in open
 * hours the pauses are what the old due time held beyond its target; across kinds, counted afresh.
 * `share` < 1: the warning time at that share of the new target (the pauses are still the old due's).
 */
export function retargetDue(cal: BusinessCalendar, openedAt: Date, due: Date, from: SlaTarget, to: SlaTarget, share = 1): Date {
  const deltaMs = timeOf(to, share) - timeOf(from, 1);
  if (from.businessHours && to.businessHours) return later(cal, to, openedAt, businessTimeBetween(cal, openedAt, due) + deltaMs);
  if (!from.businessHours && !to.businessHours) return later(cal, to, openedAt, due.getTime() - openedAt.getTime() + deltaMs);
  return later(cal, to, openedAt, timeOf(to, share));
}
