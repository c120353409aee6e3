import type { TicketStatus } from "~/shared/enums";
import type { Deps } from "../deps";
import { admins, alertStaff, escalatedEmail, stageStaffEmail, type StaffAlert } from "./alerts";

const REOPENED_FROM: TicketStatus[] = ["RESOLVED", "CLOSED"];
const REOPENED_TO: TicketStatus[] = ["OPEN", "IN_PROGRESS"];

/** A resolved or closed ticket back at work: a reopening (the customer's reply, or an agent's status change). */
export function isReopening(from: TicketStatus, to: TicketStatus): boolean {
  return REOPENED_FROM.includes(from) && REOPENED_TO.includes(to);
}

/**
 * After a status change committed: when it was a reopening, escalate on the second one. The change is
 * saved, so a failure here must not fail it (a retried reply would be written twice).
 */
export async function afterStatusChange(deps: Deps, ticketId: string, from: TicketStatus, to: TicketStatus): Promise<void> {
  if (isReopening(from, to)) await escalateIfReopenedTwice(deps, ticketId).catch(() => false);
}

/**
 * Seed 000: a problem that persists after the ticket was closed "está siendo resuelto por gestión
 * superior". The second reopening of a ticket escalates it to the admins, once: an ESCALATED entry
 * in its history, a mail to each admin and an alert. Run after a reopening committed.
 */
export async function escalateIfReopenedTwice(deps: Deps, ticketId: string): Promise<boolean> {
  const now = deps.clock.now();
  const alert = await deps.db.$transaction(async (tx): Promise<StaffAlert | null> => {
    // Two reopenings committing at once must escalate once: the second waits for the first here.
    await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${ticketId} FOR UPDATE`;
    const reopenings = await tx.ticketEvent.count({
      where: { ticketId, type: "STATUS_CHANGED", fromValue: { in: REOPENED_FROM }, toValue: { in: REOPENED_TO } },
    });
    if (reopenings < 2) return null;
    if (await tx.ticketEvent.findFirst({ where: { ticketId, type: "ESCALATED" }, select: { id: true } })) return null;
    const t = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { id: true, number: true, subject: true } });
    await tx.ticketEvent.create({ data: { ticketId, actorId: null, type: "ESCALATED", createdAt: now } });
    const to = await admins(tx);
    const emailIds: string[] = [];
    for (const person of to) emailIds.push(await stageStaffEmail(deps, tx, "escalated", t.id, t.id, person, escalatedEmail(deps, person, t)));
    return { kind: "ESCALATED", ticketId: t.id, number: t.number, userIds: to.map((p) => p.id), emailIds };
  });
  if (alert) await alertStaff(deps, alert);
  return !!alert;
}
