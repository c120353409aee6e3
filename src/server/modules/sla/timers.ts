import { sqlOf } from "~/server/db/client";
import { fragment, newId, sql, type SqlQuery } from "~/server/db/sql";
import type { Channel, TicketEventType } from "~/shared/enums";
import type { Deps } from "../deps";
import { admins, announceStaffAlerts, distinctStaff, notificationsCte, outboxCte, slaBreachedEmail, staffEmailRow, type SlaTargetName, type StaffAlert, type StaffMember } from "./alerts";

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

/** The columns a timer reads (`t` the ticket), with the assignee's. */
const READ = fragment(`t.id, t.number, t.subject, t.status::text AS status, t."categoryId", t.channel::text AS channel, t."slaPausedAt", t."firstResponseAt", t."assigneeId",
  t."firstResponseWarnAt", t."firstResponseDueAt", t."firstResponseWarnedAt", t."firstResponseBreachedAt",
  t."resolutionWarnAt", t."resolutionDueAt", t."resolutionWarnedAt", t."resolutionBreachedAt",
  a.email AS "assigneeEmail", a.name AS "assigneeName", a.locale AS "assigneeLocale", a."deactivatedAt" IS NOT NULL AS "assigneeDeactivated"
  FROM "Ticket" t LEFT JOIN "User" a ON a.id = t."assigneeId"`);

interface Row {
  id: string;
  number: number;
  subject: string;
  status: string;
  categoryId: string | null;
  channel: Channel;
  slaPausedAt: Date | null;
  firstResponseAt: Date | null;
  assigneeId: string | null;
  firstResponseWarnAt: Date | null;
  firstResponseDueAt: Date | null;
  firstResponseWarnedAt: Date | null;
  firstResponseBreachedAt: Date | null;
  resolutionWarnAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionWarnedAt: Date | null;
  resolutionBreachedAt: Date | null;
  assigneeEmail: string | null;
  assigneeName: string | null;
  assigneeLocale: string | null;
  assigneeDeactivated: boolean | null;
}

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
function dueSlaEvents(t: Row, now: Date): SlaFired[] {
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
const col = (name: string) => fragment(`"${name}"`);

/**
 * The conditional UPDATE of what fired: it holds only if the row still is as it was read (running,
 * markers unset, times unmoved), re-checked on the latest version of the row, so of two fires at
 * once one applies and the other finds nothing.
 */
function applyFired(t: Row, fired: SlaFired[], now: Date): { set: SqlQuery; where: SqlQuery } {
  let set = sql`"slaPausedAt" = "slaPausedAt"`;
  let where = sql`id = ${t.id} AND status IN ('OPEN', 'IN_PROGRESS') AND "slaPausedAt" IS NULL`;
  for (const f of fired) {
    const c = targetOf(f.target);
    where = sql`${where} AND ${col(c.breachedAt)} IS NULL AND ${col(c.dueAt)} = ${t[c.dueAt]}::timestamp(3) AND ${col(c.warnAt)} IS NOT DISTINCT FROM ${t[c.warnAt]}::timestamp(3)`;
    if (f.target === "FIRST_RESPONSE") where = sql`${where} AND "firstResponseAt" IS NULL`;
    if (f.kind === "breach") {
      set = sql`${set}, ${col(c.breachedAt)} = ${col(c.dueAt)}, ${col(c.warnedAt)} = COALESCE(${col(c.warnedAt)}, ${now}::timestamp(3))`;
    } else {
      where = sql`${where} AND ${col(c.warnedAt)} IS NULL`;
      set = sql`${set}, ${col(c.warnedAt)} = ${now}::timestamp(3)`;
    }
  }
  return { set, where };
}

/*
 * The statement commits with synchronous_commit off (set_config(…, true) holds until its implicit
 * transaction's commit): a timer does not wait for its WAL flush, which under a few hundred timers a
 * second was most of its time (IO:WALSync / LWLock:WALWrite). What a database crash could lose is the
 * last fraction of a second of timers, whole (the row's slaNextAt still due with them): the reconciler
 * fires them again within a minute, and the mail jobs of a lost outbox row find nothing to send.
 */
/**
 * Applies every SLA event due now on the ticket — the outcome recorded, its "Movimientos" entries, a
 * breach mailed to the assignee and the admins — in ONE statement (a timer's hot path: one read and
 * one write), then alerts the staff and schedules the ticket's next timer. A second or stale fire
 * finds nothing to do.
 */
export async function fireSlaEvents(deps: Deps, ticketId: string): Promise<SlaFired[]> {
  const pool = sqlOf(deps.db);
  const now = deps.clock.now();
  const { rows } = await pool.query<Row>(sql`SELECT ${READ} WHERE t.id = ${ticketId}`);
  const t = rows[0];
  const fired = t ? dueSlaEvents(t, now) : [];
  if (!t || !fired.length) return [];

  const assignee: StaffMember | null = t.assigneeId ? { id: t.assigneeId, email: t.assigneeEmail!, name: t.assigneeName, locale: t.assigneeLocale ?? "es" } : null;
  // A deactivated assignee is still named in the admins' mail (the ticket waits on them) but told nothing.
  const told = t.assigneeDeactivated ? null : assignee;
  const breaches = fired.filter((f) => f.kind === "breach");
  const mailedTo = breaches.length ? distinctStaff([told, ...(await admins(deps.db))]) : [];
  const timeZone = breaches.length ? (await deps.sla.forTicket(t)).calendar.timeZone : "UTC";
  const emails = breaches.flatMap((b) =>
    mailedTo.map((person) => staffEmailRow(deps, "sla_breached", `${t.id}-${b.target}`, t.id, person, slaBreachedEmail(deps, person, t, { target: b.target, due: b.at, timeZone, assignee }))),
  );
  const events = fired.map((f) => ({ id: newId(), type: f.kind === "breach" ? targetOf(f.target).breachEvent : targetOf(f.target).warningEvent, at: f.at.toISOString() }));
  const warned = fired.some((f) => f.kind === "warning");
  // A warning with nobody assigned still updates the queue and the ticket page (no one to notify).
  const alerts: Array<Omit<StaffAlert, "emailIds">> = [];
  if (warned || !breaches.length) alerts.push({ kind: "SLA_WARNING", ticketId: t.id, number: t.number, userIds: told ? [told.id] : [] });
  if (breaches.length) alerts.push({ kind: "SLA_BREACHED", ticketId: t.id, number: t.number, userIds: mailedTo.map((p) => p.id) });
  const { set, where } = applyFired(t, fired, now);
  const applied = sql`EXISTS (SELECT 1 FROM u)`;
  const { rows: result } = await pool.query<{ applied: boolean; next: Date | null; emailIds: string[]; notifications: Array<{ id: string; userId: string }> }>(sql`WITH u AS (
      UPDATE "Ticket" SET ${set} WHERE ${where} RETURNING id, "slaNextAt"),
    e AS (
      INSERT INTO "TicketEvent" (id, "ticketId", "actorId", type, "toValue", "createdAt")
      SELECT x.id, ${t.id}, NULL, x.type::"TicketEventType", x.at, ${now}
      FROM unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => e.type)}::text[], ${events.map((e) => e.at)}::text[]) AS x(id, type, at)
      WHERE EXISTS (SELECT 1 FROM u)),
    ${outboxCte("o", emails, now, applied)},
    ${notificationsCte("n", alerts, t.id, now, applied)}
    SELECT set_config('synchronous_commit', 'off', true) AS "asyncCommit", EXISTS (SELECT 1 FROM u) AS applied, (SELECT "slaNextAt" FROM u) AS next, ARRAY(SELECT id FROM o) AS "emailIds",
      COALESCE((SELECT json_agg(json_build_object('id', n.id, 'userId', n."userId")) FROM n), '[]'::json) AS notifications`);
  const r = result[0]!;
  if (!r.applied) return [];

  await announceStaffAlerts(deps, alerts.map((a) => ({ ...a, emailIds: a.kind === "SLA_BREACHED" ? r.emailIds : [] })), r.notifications);
  if (r.next) await deps.queues.scheduleSlaTimer(t.id, r.next).catch(() => {});
  return fired;
}

/**
 * Schedules the ticket's next SLA timer (or none) after a change that set or moved its due times.
 * Never fails the change it follows: a timer lost here (Redis or the database away) is fired by the
 * reconciler within a minute of its time.
 */
export async function scheduleSlaTimer(deps: Deps, ticketId: string): Promise<void> {
  try {
    const row = await deps.db.ticket.findUnique({ where: { id: ticketId }, select: { slaNextAt: true } });
    if (row?.slaNextAt) await deps.queues.scheduleSlaTimer(ticketId, row.slaNextAt);
  } catch {
    // The sweep (workers/sla.ts) finds the ticket by its slaNextAt.
  }
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
 * down), batch after batch until none is left or `budgetMs` has passed. Run every minute by the
 * workers' sweep; a lost timer is late by at most that (plus the backlog ahead of it).
 */
export async function fireDueSlaEvents(
  deps: Deps,
  opts: { batch?: number; budgetMs?: number; onError?: (ticketId: string, err: unknown) => void } = {},
): Promise<number> {
  const batch = opts.batch ?? 500;
  const until = Date.now() + (opts.budgetMs ?? 50_000);
  let fired = 0;
  for (;;) {
    const ids = await dueSlaTickets(deps, batch);
    let failed = 0;
    for (const id of ids) {
      // One ticket that fails (and keeps failing) must not hold back the others behind it.
      try {
        fired += (await fireSlaEvents(deps, id)).length;
      } catch (err) {
        failed++;
        opts.onError?.(id, err);
      }
    }
    // A short batch was the last; a batch of nothing but failures would come back the same.
    if (ids.length < batch || failed === ids.length || Date.now() >= until) return fired;
  }
}
