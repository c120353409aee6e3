import type pg from "pg";
import { sqlOf } from "~/server/db/client";
import { fragment, newId, sql, type SqlQuery } from "~/server/db/sql";
import type { Channel, TicketEventType } from "~/shared/enums";
import type { Deps } from "../deps";
import type { StagedEmail } from "../notifications/outbox";
import { admins as readAdmins, announceStaffAlerts, distinctStaff, notificationsCte, outboxCte, slaBreachedEmail, staffEmailRow, type SlaTargetName, type StaffAlert, type StaffMember } from "./alerts";

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

/** What one ticket's fire writes, prepared from its row before the batch's statement. */
interface Planned {
  t: Row;
  fired: SlaFired[];
  /** Per target: what fired on it (breach or warning) and the times it was read with, for the conditional UPDATE. */
  fr: "breach" | "warning" | null;
  rs: "breach" | "warning" | null;
  events: Array<{ id: string; type: TicketEventType; at: string }>;
  emails: StagedEmail[];
  alerts: Array<Omit<StaffAlert, "emailIds">>;
}

async function plan(deps: Deps, t: Row, fired: SlaFired[], admins: () => Promise<StaffMember[]>): Promise<Planned> {
  const assignee: StaffMember | null = t.assigneeId ? { id: t.assigneeId, email: t.assigneeEmail!, name: t.assigneeName, locale: t.assigneeLocale ?? "es" } : null;
  // A deactivated assignee is still named in the admins' mail (the ticket waits on them) but told nothing.
  const told = t.assigneeDeactivated ? null : assignee;
  const breaches = fired.filter((f) => f.kind === "breach");
  const mailedTo = breaches.length ? distinctStaff([told, ...(await admins())]) : [];
  const timeZone = breaches.length ? (await deps.sla.forTicket(t)).calendar.timeZone : "UTC";
  const emails = breaches.flatMap((b) =>
    mailedTo.map((person) => staffEmailRow(deps, "sla_breached", `${t.id}-${b.target}`, t.id, person, slaBreachedEmail(deps, person, t, { target: b.target, due: b.at, timeZone, assignee }))),
  );
  const events = fired.map((f) => ({ id: newId(), type: f.kind === "breach" ? targetOf(f.target).breachEvent : targetOf(f.target).warningEvent, at: f.at.toISOString() }));
  const warned = fired.some((f) => f.kind === "warning");
  // A warning with nobody assigned still updates the queue and the ticket page (no one to notify).
  const alerts: Planned["alerts"] = [];
  if (warned || !breaches.length) alerts.push({ kind: "SLA_WARNING", ticketId: t.id, number: t.number, userIds: told ? [told.id] : [] });
  if (breaches.length) alerts.push({ kind: "SLA_BREACHED", ticketId: t.id, number: t.number, userIds: mailedTo.map((p) => p.id) });
  const on = (name: SlaTargetName) => fired.find((f) => f.target === name)?.kind ?? null;
  return { t, fired, fr: on("FIRST_RESPONSE"), rs: on("RESOLUTION"), events, emails, alerts };
}

/** A pool or one of its clients. */
type Queryable = Pick<pg.PoolClient, "query">;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * The conditional UPDATE of what fired on each ticket (`x`: one row per ticket, what fired on each
 * target and the times read): it holds only if the row still is as it was read (running, markers
 * unset, times unmoved), re-checked on the latest version of the row, so of two fires at once one
 * applies and the other finds nothing. Tickets with a breach and tickets with only warnings are two
 * UPDATEs: the warnings' leaves the breach columns out of its SET (the reports' trigger watches them).
 */
function updateCte(name: string, planned: Planned[], now: Date, breaches: boolean): SqlQuery {
  const set = breaches
    ? fragment(`"firstResponseBreachedAt" = CASE WHEN x.fr = 'breach' THEN t."firstResponseDueAt" ELSE t."firstResponseBreachedAt" END,
      "resolutionBreachedAt" = CASE WHEN x.rs = 'breach' THEN t."resolutionDueAt" ELSE t."resolutionBreachedAt" END,
      "firstResponseWarnedAt" = CASE x.fr WHEN 'breach' THEN COALESCE(t."firstResponseWarnedAt", x.now) WHEN 'warning' THEN x.now ELSE t."firstResponseWarnedAt" END,
      "resolutionWarnedAt" = CASE x.rs WHEN 'breach' THEN COALESCE(t."resolutionWarnedAt", x.now) WHEN 'warning' THEN x.now ELSE t."resolutionWarnedAt" END`)
    : fragment(`"firstResponseWarnedAt" = CASE WHEN x.fr = 'warning' THEN x.now ELSE t."firstResponseWarnedAt" END,
      "resolutionWarnedAt" = CASE WHEN x.rs = 'warning' THEN x.now ELSE t."resolutionWarnedAt" END`);
  const rows = planned.filter((p) => (p.fr === "breach" || p.rs === "breach") === breaches);
  return sql`${fragment(name)} AS (
    UPDATE "Ticket" t SET ${set}
    FROM (SELECT u.*, ${now}::timestamp(3) AS now FROM unnest(${rows.map((p) => p.t.id)}::text[], ${rows.map((p) => p.fr)}::text[], ${rows.map((p) => iso(p.t.firstResponseDueAt))}::timestamp(3)[],
        ${rows.map((p) => iso(p.t.firstResponseWarnAt))}::timestamp(3)[], ${rows.map((p) => p.rs)}::text[], ${rows.map((p) => iso(p.t.resolutionDueAt))}::timestamp(3)[],
        ${rows.map((p) => iso(p.t.resolutionWarnAt))}::timestamp(3)[]) AS u(id, fr, "frDue", "frWarn", rs, "rsDue", "rsWarn")) x
    WHERE t.id = x.id AND t.status IN ('OPEN', 'IN_PROGRESS') AND t."slaPausedAt" IS NULL
      AND (x.fr IS NULL OR (t."firstResponseBreachedAt" IS NULL AND t."firstResponseAt" IS NULL AND t."firstResponseDueAt" = x."frDue"
        AND t."firstResponseWarnAt" IS NOT DISTINCT FROM x."frWarn" AND (x.fr = 'breach' OR t."firstResponseWarnedAt" IS NULL)))
      AND (x.rs IS NULL OR (t."resolutionBreachedAt" IS NULL AND t."resolutionDueAt" = x."rsDue"
        AND t."resolutionWarnAt" IS NOT DISTINCT FROM x."rsWarn" AND (x.rs = 'breach' OR t."resolutionWarnedAt" IS NULL)))
    RETURNING t.id, t."slaNextAt")`;
}

/*
 * The statement commits with synchronous_commit off (set_config(…, true) holds until its implicit
 * transaction's commit): a timer does not wait for its WAL flush, which under a few hundred timers a
 * second was most of its time (IO:WALSync / LWLock:WALWrite). What a database crash could lose is the
 * last fraction of a second of timers, whole (the row's slaNextAt still due with them): the reconciler
 * fires them again within a minute, and the mail jobs of a lost outbox row find nothing to send.
 */
/**
 * ONE statement for the whole batch: each ticket's outcome recorded (its conditional UPDATE), its
 * "Movimientos" entries, the breach mails to the assignee and the admins, the bells' rows — each only
 * for the tickets whose UPDATE held. Its text never depends on the batch (arrays are parameters): one
 * prepared statement per connection.
 */
async function applyBatch(q: Queryable, planned: Planned[], now: Date) {
  const events = planned.flatMap((p) => p.events.map((e) => ({ ...e, ticketId: p.t.id })));
  const applied = sql`x.ticket IN (SELECT id FROM u)`;
  const { rows } = await q.query<{ id: string; next: Date | null; emailIds: string[]; notifications: Array<{ id: string; userId: string }> }>(sql`WITH
    ${updateCte("uw", planned, now, false)},
    ${updateCte("ub", planned, now, true)},
    u AS (SELECT id, "slaNextAt" FROM uw UNION ALL SELECT id, "slaNextAt" FROM ub),
    e AS (
      INSERT INTO "TicketEvent" (id, "ticketId", "actorId", type, "toValue", "createdAt")
      SELECT x.id, x.ticket, NULL, x.type::"TicketEventType", x.at, ${now}::timestamp(3)
      FROM unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => e.ticketId)}::text[], ${events.map((e) => e.type)}::text[], ${events.map((e) => e.at)}::text[]) AS x(id, ticket, type, at)
      WHERE ${applied}),
    ${outboxCte("o", planned.flatMap((p) => p.emails), now, applied)},
    ${notificationsCte("n", planned.flatMap((p) => p.alerts), now, applied)}
    SELECT set_config('synchronous_commit', 'off', true) AS "asyncCommit", u.id, u."slaNextAt" AS next, ARRAY(SELECT o.id FROM o WHERE o."ticketId" = u.id) AS "emailIds",
      COALESCE((SELECT json_agg(json_build_object('id', n.id, 'userId', n."userId")) FROM n WHERE n."ticketId" = u.id), '[]'::json) AS notifications
    FROM u`);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The columns' read of a batch: one statement, whatever the number of tickets. */
const readBatch = (q: Queryable, ids: string[]) => q.query<Row>(sql`SELECT ${READ} WHERE t.id = ANY(${ids}::text[])`);

export type SlaFireResult = PromiseSettledResult<SlaFired[]>;

/**
 * Applies every SLA event due now on each of these tickets — the outcome recorded, its "Movimientos"
 * entries, a breach mailed to the assignee and the admins — with ONE read and ONE statement for all
 * of them, then alerts the staff and schedules each ticket's next timer. One result per id, in order:
 * what fired (nothing for a second or stale fire, or an id given twice) or why that ticket failed. A
 * ticket that cannot be fired does not hold back the others: when the batch's statement fails, each
 * ticket is fired again alone.
 */
export async function fireSlaEventsBatch(deps: Deps, ticketIds: string[]): Promise<SlaFireResult[]> {
  const ids = [...new Set(ticketIds)];
  const byId = new Map<string, SlaFireResult>();
  if (ids.length) {
    try {
      await fireTogether(deps, ids, byId);
    } catch (err) {
      if (ids.length === 1) byId.set(ids[0]!, { status: "rejected", reason: err });
      else for (const id of ids) byId.set(id, (await fireSlaEventsBatch(deps, [id]))[0]!);
    }
  }
  const seen = new Set<string>();
  return ticketIds.map((id) => (seen.has(id) ? { status: "fulfilled", value: [] } : (seen.add(id), byId.get(id) ?? { status: "fulfilled", value: [] })));
}

/** One read, the plans, one statement (all or nothing: it throws), then each applied ticket's alerts and next timer (settled one by one). */
async function fireTogether(deps: Deps, ids: string[], results: Map<string, SlaFireResult>): Promise<void> {
  const now = deps.clock.now();
  const { rows } = await readBatch(sqlOf(deps.db), ids);
  let adminList: Promise<StaffMember[]> | undefined;
  const admins = () => (adminList ??= readAdmins(deps.db));
  const planned: Planned[] = [];
  const failed = new Map<string, SlaFireResult>();
  await Promise.all(
    rows.map(async (t) => {
      const fired = dueSlaEvents(t, now);
      if (!fired.length) return;
      try {
        planned.push(await plan(deps, t, fired, admins));
      } catch (err) {
        failed.set(t.id, { status: "rejected", reason: err });
      }
    }),
  );
  // In id order: two batches at once (timers and the sweep) lock their common rows in the same order.
  planned.sort((a, b) => (a.t.id < b.t.id ? -1 : a.t.id > b.t.id ? 1 : 0));
  const applied = planned.length ? await applyBatch(sqlOf(deps.db), planned, now) : new Map<string, never>();
  for (const [id, r] of failed) results.set(id, r);
  await Promise.all(
    planned.map(async (p) => {
      const r = applied.get(p.t.id);
      if (!r) return results.set(p.t.id, { status: "fulfilled", value: [] });
      try {
        await announceStaffAlerts(deps, p.alerts.map((a) => ({ ...a, emailIds: a.kind === "SLA_BREACHED" ? r.emailIds : [] })), r.notifications);
        if (r.next) await deps.queues.scheduleSlaTimer(p.t.id, r.next).catch(() => {});
        results.set(p.t.id, { status: "fulfilled", value: p.fired });
      } catch (err) {
        // Recorded already: a retried timer finds it done.
        results.set(p.t.id, { status: "rejected", reason: err });
      }
    }),
  );
}

/**
 * Applies every SLA event due now on the ticket (one ticket's batch: one read and one statement),
 * then alerts the staff and schedules its next timer. A second or stale fire finds nothing to do.
 */
export async function fireSlaEvents(deps: Deps, ticketId: string): Promise<SlaFired[]> {
  const [r] = await fireSlaEventsBatch(deps, [ticketId]);
  if (r!.status === "rejected") throw r!.reason;
  return r!.value;
}

/**
 * The timers of one process fired together: `fire(id)` hands the ticket to the batch being
 * collected and resolves with that ticket's own result. A batch leaves as soon as the event loop
 * turns (the jobs started in the same tick go together) while fewer than `maxInFlight` are being
 * applied; otherwise the tickets wait for one to finish, so the batches grow with the load (up to
 * `maxBatch`) instead of the queue of statements.
 */
export function slaTimerBatcher(deps: Deps, opts: { maxBatch?: number; maxInFlight?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 100;
  const maxInFlight = opts.maxInFlight ?? 2;
  type Waiting = { id: string; resolve: (fired: SlaFired[]) => void; reject: (err: unknown) => void };
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let flushQueued = false;
  const flush = () => {
    flushQueued = false;
    while (waiting.length && inFlight < maxInFlight) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(maxBatch);
      inFlight++;
      fireSlaEventsBatch(deps, batch.map((w) => w.id))
        .then(
          (results) => results.forEach((r, i) => (r.status === "fulfilled" ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.reason))),
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          inFlight--;
          flush();
        });
    }
  };
  return {
    fire(ticketId: string): Promise<SlaFired[]> {
      return new Promise((resolve, reject) => {
        waiting.push({ id: ticketId, resolve, reject });
        if (!flushQueued) {
          flushQueued = true;
          setImmediate(flush);
        }
      });
    },
    /**
     * Before the first timer: `maxInFlight` connections opened, each with the batch's read and
     * statement prepared (run on no ticket), and a breach mail rendered, so the first timers do not
     * pay for a cold worker.
     */
    async warm(): Promise<void> {
      // The breach mail's rendering (its date format loads the time zones' data once per process).
      const seed = await deps.sla.forTicket({ categoryId: null, channel: "PORTAL" });
      const someone: StaffMember = { id: "warm-up", email: "warm-up@invalid", name: null, locale: "es" };
      for (const locale of ["es", "en"]) {
        slaBreachedEmail(deps, { ...someone, locale }, { id: "warm-up", number: 0, subject: "" }, { target: "RESOLUTION", due: deps.clock.now(), timeZone: seed.calendar.timeZone, assignee: someone });
      }
      const pool = sqlOf(deps.db);
      const clients = await Promise.all(Array.from({ length: maxInFlight }, () => pool.connect()));
      try {
        await Promise.all(clients.map(async (client) => {
          await readBatch(client, []);
          await applyBatch(client, [], deps.clock.now());
        }));
      } finally {
        for (const client of clients) client.release();
      }
    },
  };
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
    // Fired together, 100 a statement; one ticket that fails (and keeps failing) must not hold back the others.
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const results = await fireSlaEventsBatch(deps, chunk);
      results.forEach((r, j) => {
        if (r.status === "fulfilled") fired += r.value.length;
        else {
          failed++;
          opts.onError?.(chunk[j]!, r.reason);
        }
      });
    }
    // A short batch was the last; a batch of nothing but failures would come back the same.
    if (ids.length < batch || failed === ids.length || Date.now() >= until) return fired;
  }
}
