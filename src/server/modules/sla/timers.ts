import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import type { Prisma } from "~/server/generated/prisma/client";
import type { TicketEventType } from "~/shared/enums";
import type { Deps } from "../deps";
import { admins, alertStaff, distinctStaff, slaBreachedEmail, staffById, stageStaffEmail, type SlaTargetName, type StaffAlert } from "./alerts";

// The SLA's timers. Each ticket has at most one pending timer: its next warning or breach
// (Ticket.slaNextAt, kept by the sla_outcome trigger on every write). When it fires, what is due is
// derived again from the row and applied with conditional UPDATEs, so a timer that fires twice, late,
// or after the due times moved changes nothing wrong. The reconciler scans slaNextAt for what no
// timer handled (Redis lost, a worker down).

interface TargetColumns {
  name: SlaTargetName;
  warnAt: "firstResponseWarnAt" | "resolutionWarnAt";
  dueAt: "firstResponseDueAt" | "resolutionDueAt";
  warnedAt: "firstResponseWarnedAt" | "resolutionWarnedAt";
  breachedAt: "firstResponseBreachedAt" | "resolutionBreachedAt";
  warningEvent: TicketEventType;
  breachEvent: TicketEventType;
}

const TARGETS: TargetColumns[] = [
  {
    name: "FIRST_RESPONSE",
    warnAt: "firstResponseWarnAt",
    dueAt: "firstResponseDueAt",
    warnedAt: "firstResponseWarnedAt",
    breachedAt: "firstResponseBreachedAt",
    warningEvent: "SLA_FIRST_RESPONSE_WARNING",
    breachEvent: "SLA_FIRST_RESPONSE_BREACHED",
  },
  {
    name: "RESOLUTION",
    warnAt: "resolutionWarnAt",
    dueAt: "resolutionDueAt",
    warnedAt: "resolutionWarnedAt",
    breachedAt: "resolutionBreachedAt",
    warningEvent: "SLA_RESOLUTION_WARNING",
    breachEvent: "SLA_RESOLUTION_BREACHED",
  },
];

const SELECT = {
  id: true,
  number: true,
  subject: true,
  status: true,
  categoryId: true,
  channel: true,
  slaPausedAt: true,
  firstResponseAt: true,
  assigneeId: true,
  updatedAt: true,
  firstResponseWarnAt: true,
  firstResponseDueAt: true,
  firstResponseWarnedAt: true,
  firstResponseBreachedAt: true,
  resolutionWarnAt: true,
  resolutionDueAt: true,
  resolutionWarnedAt: true,
  resolutionBreachedAt: true,
} as const;

type Row = Prisma.TicketGetPayload<{ select: typeof SELECT }>;

export interface SlaFired {
  target: SlaTargetName;
  kind: "warning" | "breach";
  /** The warning or due time that passed. */
  at: Date;
}

/** Whether the target's clock runs: the ticket open or in progress, not waiting on the customer, the target not completed. */
function running(t: Row, target: TargetColumns): boolean {
  if (t.status !== "OPEN" && t.status !== "IN_PROGRESS") return false;
  if (t.slaPausedAt) return false;
  return target.name === "RESOLUTION" || !t.firstResponseAt;
}

/** What is due on this row at `now`: a breach (its warning, if never sent, goes with it silently), else a warning. */
export function dueSlaEvents(t: Row, now: Date): SlaFired[] {
  const fired: SlaFired[] = [];
  for (const target of TARGETS) {
    if (!running(t, target) || t[target.breachedAt]) continue;
    const due = t[target.dueAt];
    const warn = t[target.warnAt];
    if (due && due.getTime() <= now.getTime()) fired.push({ target: target.name, kind: "breach", at: due });
    else if (warn && !t[target.warnedAt] && warn.getTime() <= now.getTime()) fired.push({ target: target.name, kind: "warning", at: warn });
  }
  return fired;
}

const targetOf = (name: SlaTargetName) => TARGETS.find((t) => t.name === name)!;

/**
 * Applies every SLA event due now on the ticket: its "Movimientos" entries, the outcome recorded, the
 * breach mailed to the assignee and the admins; then alerts the staff and schedules the next timer.
 * The UPDATE holds only if the row still is as read (markers unset, times unmoved): a second or stale
 * fire finds nothing to do.
 */
export async function fireSlaEvents(deps: Deps, ticketId: string): Promise<SlaFired[]> {
  const now = deps.clock.now();
  const result = await deps.db.$transaction(async (tx) => {
    const t = await tx.ticket.findUnique({ where: { id: ticketId }, select: SELECT });
    if (!t) return null;
    const fired = dueSlaEvents(t, now);
    if (!fired.length) return { t, fired, alerts: [] };

    const where: Prisma.TicketWhereInput = { id: t.id, status: t.status, slaPausedAt: null, firstResponseAt: t.firstResponseAt };
    const data: Prisma.TicketUncheckedUpdateManyInput = { updatedAt: t.updatedAt };
    for (const f of fired) {
      const c = targetOf(f.target);
      Object.assign(where, { [c.breachedAt]: null, [c.dueAt]: t[c.dueAt], [c.warnAt]: t[c.warnAt] });
      if (f.kind === "breach") {
        Object.assign(data, { [c.breachedAt]: f.at, [c.warnedAt]: t[c.warnedAt] ?? now });
      } else {
        Object.assign(where, { [c.warnedAt]: null });
        Object.assign(data, { [c.warnedAt]: now });
      }
    }
    const { count } = await tx.ticket.updateMany({ where, data });
    if (count === 0) return { t, fired: [], alerts: [] };

    await tx.ticketEvent.createMany({
      data: fired.map((f) => ({
        ticketId: t.id,
        actorId: null,
        type: f.kind === "breach" ? targetOf(f.target).breachEvent : targetOf(f.target).warningEvent,
        toValue: f.at.toISOString(),
        createdAt: now,
      })),
    });
    const assignee = await staffById(tx, t.assigneeId);
    const alerts: StaffAlert[] = [];
    const warnings = fired.filter((f) => f.kind === "warning");
    if (warnings.length && assignee) alerts.push({ kind: "SLA_WARNING", ticketId: t.id, number: t.number, userIds: [assignee.id], emailIds: [] });
    const breaches = fired.filter((f) => f.kind === "breach");
    if (breaches.length) {
      const to = distinctStaff([assignee, ...(await admins(tx))]);
      const emailIds: string[] = [];
      const timeZone = (await deps.sla.forTicket(t)).calendar.timeZone;
      for (const b of breaches) {
        for (const person of to) {
          const mail = slaBreachedEmail(deps, person, t, { target: b.target, due: b.at, timeZone, assignee });
          emailIds.push(await stageStaffEmail(deps, tx, "sla_breached", `${t.id}-${b.target}`, t.id, person, mail));
        }
      }
      alerts.push({ kind: "SLA_BREACHED", ticketId: t.id, number: t.number, userIds: to.map((p) => p.id), emailIds });
    }
    return { t, fired, alerts };
  });
  if (!result) return [];
  // A warning with nobody assigned still updates the queue and the ticket page.
  if (result.fired.length && !result.alerts.length) {
    await alertStaff(deps, { kind: "SLA_WARNING", ticketId: result.t.id, number: result.t.number, userIds: [], emailIds: [] });
  }
  for (const alert of result.alerts) await alertStaff(deps, alert);
  await scheduleSlaTimer(deps, ticketId);
  return result.fired;
}

/**
 * Schedules the ticket's next SLA timer (or none) after a change that set or moved its due times.
 * A timer lost here (Redis away) is fired by the reconciler within a minute of its time.
 */
export async function scheduleSlaTimer(deps: Deps, ticketId: string): Promise<void> {
  const row = await deps.db.ticket.findUnique({ where: { id: ticketId }, select: { slaNextAt: true } });
  if (row?.slaNextAt) await deps.queues.scheduleSlaTimer(ticketId, row.slaNextAt).catch(() => {});
}

/** Tickets with an SLA event due and not yet handled, soonest first: an index range scan of slaNextAt. */
export async function dueSlaTickets(deps: Pick<Deps, "db" | "clock">, batch: number): Promise<string[]> {
  const { rows } = await sqlOf(deps.db).query<{ id: string }>(
    sql`SELECT id FROM "Ticket" WHERE "slaNextAt" <= ${deps.clock.now()} ORDER BY "slaNextAt" LIMIT ${batch}`,
  );
  return rows.map((r) => r.id);
}

/**
 * The reconciler: fires what is due on every ticket whose timer was lost (Redis flushed, a worker
 * down). Run every minute by the workers' sweep; a lost timer is late by at most that.
 */
export async function fireDueSlaEvents(deps: Deps, batch = 500, onError: (ticketId: string, err: unknown) => void = () => {}): Promise<number> {
  let fired = 0;
  for (const id of await dueSlaTickets(deps, batch)) {
    // One ticket that fails (and keeps failing) must not hold back the others behind it.
    try {
      fired += (await fireSlaEvents(deps, id)).length;
    } catch (err) {
      onError(id, err);
    }
  }
  return fired;
}
