import { isLocale, translator } from "~/i18n";
import { oneLine } from "../mail-templates/render";
import type { Deps } from "../deps";
import type { StaffAlertKind } from "../events";
import { fragment, newId, sql, type SqlQuery } from "~/server/db/sql";
import { mailDomain, stageEmail, type StagedEmail, type Tx } from "../notifications/outbox";
import { notifyStaff } from "../notifications/bell";
import type { RenderedEmail } from "../notifications/templates";
import { escapeHtml } from "../tickets/message-body";
import { customMail } from "../mail-templates/custom-mail";

export type SlaTargetName = "FIRST_RESPONSE" | "RESOLUTION";

export interface StaffMember {
  id: string;
  email: string;
  name: string | null;
  locale: string;
}

const STAFF = { id: true, email: true, name: true, locale: true } as const;

/** The active admins: who hears of a missed target and of an escalation ("gestión superior", seed 000). */
export function admins(tx: Tx): Promise<StaffMember[]> {
  return tx.user.findMany({ where: { role: "ADMIN", deactivatedAt: null }, select: STAFF, orderBy: { createdAt: "asc" } });
}

export function staffById(tx: Tx, id: string | null): Promise<StaffMember | null> {
  return id ? tx.user.findUnique({ where: { id }, select: STAFF }) : Promise.resolve(null);
}

/** Each person once, in order. */
export function distinctStaff(list: Array<StaffMember | null>): StaffMember[] {
  const seen = new Set<string>();
  return list.filter((p): p is StaffMember => !!p && !seen.has(p.id) && !!seen.add(p.id));
}

export interface AlertedTicket {
  id: string;
  number: number;
  subject: string;
}

function render(locale: string, subject: string, lines: string[], team: string): RenderedEmail {
  const t = translator(isLocale(locale) ? locale : "es");
  const signature = t("email.signature", { team });
  return {
    subject: oneLine(subject),
    text: [...lines, "", signature].join("\n"),
    html: `<!doctype html><html lang="${escapeHtml(locale)}"><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}<p>${escapeHtml(signature)}</p></body></html>`,
  };
}

const staffUrl = (deps: Deps, number: number) => `${deps.mail.publicUrl}/agent/tickets/${number}`;

/** "[#12] SLA incumplido: primera respuesta", in the reader's language, the due time in the ticket's calendar's time zone. */
export function slaBreachedEmail(
  deps: Deps,
  to: StaffMember,
  t: AlertedTicket,
  c: { target: SlaTargetName; due: Date; timeZone: string; assignee: StaffMember | null },
): RenderedEmail {
  const locale = isLocale(to.locale) ? to.locale : (deps.mail.defaultLocale ?? "es");
  const tr = translator(locale);
  const targetName = tr(`email.sla.target.${c.target}`);
  const when = new Intl.DateTimeFormat(locale === "es" ? "es-ES" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: c.timeZone }).format(c.due);
  const assignee = c.assignee ? (c.assignee.name ?? c.assignee.email) : tr("email.sla.unassigned");
  const custom = customMail(deps.mail.templates, "sla_breached", locale, () => ({
    text: { "ticket.number": String(t.number), "ticket.subject": t.subject, "ticket.url": staffUrl(deps, t.number), "sla.target": targetName, "sla.due": `${when} (${c.timeZone})`, "ticket.assignee": assignee, team: deps.mail.team },
  }));
  if (custom) return custom;
  return render(
    locale,
    tr("email.sla.breachedSubject", { number: t.number, target: targetName }),
    [
      tr("email.sla.breachedBody", { target: targetName, number: t.number, subject: t.subject, due: `${when} (${c.timeZone})` }),
      c.assignee ? tr("email.sla.assignee", { name: c.assignee.name ?? c.assignee.email }) : tr("email.sla.unassigned"),
      tr("email.sla.link", { url: staffUrl(deps, t.number) }),
    ],
    deps.mail.team,
  );
}

export function escalatedEmail(deps: Deps, to: StaffMember, t: AlertedTicket): RenderedEmail {
  const locale = isLocale(to.locale) ? to.locale : (deps.mail.defaultLocale ?? "es");
  const tr = translator(locale);
  const custom = customMail(deps.mail.templates, "escalated", locale, () => ({
    text: { "ticket.number": String(t.number), "ticket.subject": t.subject, "ticket.url": staffUrl(deps, t.number), team: deps.mail.team },
  }));
  if (custom) return custom;
  return render(
    locale,
    tr("email.sla.escalatedSubject", { number: t.number }),
    [tr("email.sla.escalatedBody", { number: t.number, subject: t.subject }), tr("email.sla.link", { url: staffUrl(deps, t.number) })],
    deps.mail.team,
  );
}

/** The outbox row of a mail to a staff member; `key` names the alert, so it goes once to each. */
export function staffEmailRow(deps: Deps, kind: string, key: string, ticketId: string, to: StaffMember, mail: RenderedEmail): StagedEmail {
  return {
    ...mail,
    dedupeKey: `${kind}:${key}:${to.id}`,
    kind,
    to: to.email,
    ticketId,
    messageId: `<${kind}-${key}-${to.id}@${mailDomain(deps.mail.fromAddress)}>`,
  };
}

/** Stages a mail to a staff member in the caller's transaction. */
export function stageStaffEmail(deps: Deps, tx: Tx, kind: string, key: string, ticketId: string, to: StaffMember, mail: RenderedEmail): Promise<string> {
  return stageEmail(tx, staffEmailRow(deps, kind, key, ticketId, to, mail));
}

/**
 * `name(id, "ticketId")`: these mails staged (outbox rows) in a plain-SQL write, only where `guard`
 * holds (it may name the row's ticket, `x.ticket`); a dedupe key already staged is skipped.
 */
export function outboxCte(name: string, emails: StagedEmail[], now: Date, guard: SqlQuery): SqlQuery {
  const c = <K extends keyof StagedEmail>(k: K) => emails.map((e) => e[k] ?? null);
  return sql`${fragment(name)} AS (
    INSERT INTO "OutboundEmail" (id, "dedupeKey", "ticketId", kind, "to", subject, text, html, "messageId", "createdAt")
    SELECT x.id, x.key, x.ticket, x.kind, x.to, x.subject, x.text, x.html, x.mid, ${now}::timestamp(3)
    FROM unnest(${emails.map(() => newId())}::text[], ${c("dedupeKey")}::text[], ${c("ticketId")}::text[], ${c("kind")}::text[], ${c("to")}::text[],
                ${c("subject")}::text[], ${c("text")}::text[], ${c("html")}::text[], ${c("messageId")}::text[])
      AS x(id, key, ticket, kind, "to", subject, text, html, mid)
    WHERE ${guard}
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id, "ticketId")`;
}

export interface StaffAlert {
  kind: StaffAlertKind;
  ticketId: string;
  number: number;
  userIds: string[];
  /** Mails staged with the alert, for the dispatcher to enqueue. */
  emailIds: string[];
}

/**
 * Tells the staff concerned, after the change committed: a live event (the queue and the ticket page
 * update) with the mails staged for it, and a notification in each one's bell.
 */
export async function alertStaff(deps: Deps, alert: StaffAlert): Promise<void> {
  await deps.bus.publish({ type: "staff.alerted", ...alert });
  // The event is recorded: a bell that cannot ring must not fail it (a retried timer finds it done).
  await notifyStaff(deps, { userIds: alert.userIds, kind: alert.kind, ticketId: alert.ticketId }).catch(() => []);
}

/**
 * `name(id, "userId", "ticketId")`: the bells' rows of these alerts, stored in a plain-SQL write only
 * where `guard` holds (it may name the row's ticket, `x.ticket`): the timers' one statement, instead
 * of notifyStaff's own read and transaction after it. The recipients are staff already (the assignee,
 * the admins); none has an actor.
 */
export function notificationsCte(name: string, alerts: Array<Pick<StaffAlert, "kind" | "userIds" | "ticketId">>, now: Date, guard: SqlQuery): SqlQuery {
  const rows = alerts.flatMap((a) => [...new Set(a.userIds)].map((userId) => ({ userId, kind: a.kind, ticketId: a.ticketId })));
  return sql`${fragment(name)} AS (
    INSERT INTO "Notification" (id, "userId", kind, "ticketId", "createdAt")
    SELECT x.id, x.user, x.kind::"NotificationKind", x.ticket, ${now}::timestamp(3)
    FROM unnest(${rows.map(() => newId())}::text[], ${rows.map((r) => r.userId)}::text[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.ticketId)}::text[])
      AS x(id, "user", kind, ticket)
    WHERE ${guard}
    RETURNING id, "userId", "ticketId")`;
}

/** After the statement that stored them committed: the live event, and the bells' rows announced. */
export async function announceStaffAlerts(deps: Deps, alerts: StaffAlert[], notifications: Array<{ id: string; userId: string }>): Promise<void> {
  for (const alert of alerts) await deps.bus.publish({ type: "staff.alerted", ...alert });
  if (notifications.length) await deps.bus.publish({ type: "notifications.created", ticketId: alerts[0]!.ticketId, notifications });
}
