import type { TicketStatus } from "~/shared/enums";
import type { Deps } from "../deps";
import { statusChangedEmail } from "../notifications/templates";
import { restartedDueDates } from "../sla/due-times";
import { afterStatusChange } from "../sla/escalation";
import { scheduleSlaTimer } from "../sla/timers";
import { textToHtml } from "./message-body";
import { lockTicket } from "./version";
import { mailContext, requesterForMail, stageTicketEmail } from "./ticket-mail";

export interface StatusChange {
  ticketId: string;
  from: TicketStatus;
  to: TicketStatus;
  /** Who moved it; null when the desk did (an automatic transition). */
  actorId: string | null;
  /** Shown to the customer as a public message and in the mail. */
  reason?: string | null | ((locale: string) => string);
  /** The version the agent's edit was made from (tickets/version.ts); absent for mail and timers. */
  expectedVersion?: number;
}

/**
 * Moves a ticket from one status to another — only if it still has `from` (and, for an agent's edit,
 * the version it was made from), so two agents (or an agent and a timer) changing it at once cannot both win — with its "Movimientos" entry, the SLA
 * clock stopped or restarted, and the mail to the requester staged. Null when it had moved already;
 * else the staged mail and the ticket's new version (for the agent's next edit).
 * Once committed: the SLA timer of a ticket back at work, and the escalation of a second reopening.
 */
export async function changeStatus(deps: Deps, c: StatusChange): Promise<{ emailIds: string[]; version: number } | null> {
  const changed = await writeStatus(deps, c);
  if (changed && (c.to === "OPEN" || c.to === "IN_PROGRESS")) await scheduleSlaTimer(deps, c.ticketId);
  // The change is saved: an escalation that fails must not turn it into an error.
  if (changed) await afterStatusChange(deps, c.ticketId, c.from, c.to);
  return changed;
}

function writeStatus(deps: Deps, c: StatusChange): Promise<{ emailIds: string[]; version: number } | null> {
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const locked = await lockTicket(tx, c.ticketId, c.expectedVersion);
    if (locked.status !== c.from || c.from === c.to) return null;
    const ticket = await tx.ticket.findUniqueOrThrow({
      where: { id: c.ticketId },
      select: {
        id: true,
        number: true,
        subject: true,
        trackingId: true,
        replyToken: true,
        requester: { select: { ...requesterForMail.select, mailStatusChanges: true } },
        priority: true,
        categoryId: true,
        channel: true,
        firstResponseAt: true,
        firstResponseDueAt: true,
        resolutionDueAt: true,
        firstResponseWarnAt: true,
        resolutionWarnAt: true,
        slaPausedAt: true,
      },
    });
    // Waiting on the customer stops the SLA clock; leaving that wait starts it again where it stopped.
    const restarted = c.to === "WAITING_ON_CUSTOMER" ? null : restartedDueDates(await deps.sla.forTicket(ticket), ticket, now);
    const sla = c.to === "WAITING_ON_CUSTOMER" ? { slaPausedAt: ticket.slaPausedAt ?? now } : restarted ? { ...restarted, slaPausedAt: null } : {};
    const { count } = await tx.ticket.updateMany({
      where: { id: c.ticketId, status: c.from },
      data: {
        status: c.to,
        updatedAt: now,
        ...sla,
        ...(c.to === "RESOLVED" ? { resolvedAt: now } : {}),
        ...(c.to === "CLOSED" ? { closedAt: now } : {}),
        ...(c.to === "OPEN" || c.to === "IN_PROGRESS" ? { resolvedAt: null, closedAt: null } : {}),
      },
    });
    if (count === 0) return null;
    const context = mailContext(deps, ticket);
    const reason = typeof c.reason === "function" ? c.reason(context.locale) : c.reason;
    if (reason) {
      await tx.message.create({
        data: { ticketId: c.ticketId, authorId: c.actorId, bodyText: reason, bodyHtml: textToHtml(reason), channel: "PORTAL", createdAt: now },
      });
    }
    const event = await tx.ticketEvent.create({
      data: { ticketId: c.ticketId, actorId: c.actorId, type: "STATUS_CHANGED", fromValue: c.from, toValue: c.to, createdAt: now },
      select: { id: true },
    });
    const mail = statusChangedEmail({ ...context, from: c.from, to: c.to, reason, reopenHours: deps.mail.reopenWindowHours });
    const { version } = await tx.ticket.findUniqueOrThrow({ where: { id: c.ticketId }, select: { version: true } });
    // A requester may turn status-change mails off (profile); a reason a person wrote (a rejection's)
    // is an answer, always mailed. The desk's automatic closings are status changes like any other.
    if (!ticket.requester.mailStatusChanges && !(reason && c.actorId)) return { emailIds: [], version };
    return { emailIds: [await stageTicketEmail(deps, tx, ticket, "status_changed", event.id, mail)], version };
  });
}
