import { z } from "zod";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { notifyStaff } from "../notifications/bell";
import { findReadableTicket } from "./get-ticket";
import { expectedVersion, lockTicket } from "./version";

const id = z.string().min(1).max(64);

/**
 * Who works the ticket: an agent (`assigneeId`), a team (`teamId`), or both; a field left out stays
 * as it is, null clears it. Handing the ticket to another team keeps its agent only when the agent
 * belongs to that team (else it waits in the team's pile, "Sin asignar" of "Mi equipo").
 */
export const assignInput = z
  .strictObject({
    ticketId: id,
    assigneeId: id.nullable().optional(),
    teamId: id.nullable().optional(),
    version: expectedVersion,
  })
  .refine((i) => i.assigneeId !== undefined || i.teamId !== undefined, { message: "VALIDATION" });
export type AssignInput = z.input<typeof assignInput>;

type Named = { name: string | null; email: string } | null;
const personLabel = (p: Named) => (p ? (p.name ?? p.email) : null);

export async function assignTicket(deps: Deps, actor: Actor, raw: AssignInput) {
  const input = assignInput.parse(raw);
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const found = await findReadableTicket(deps, actor, { id: input.ticketId });
  const assignee = input.assigneeId
    ? await deps.db.user.findUnique({ where: { id: input.assigneeId }, select: { id: true, role: true, name: true, email: true, deactivatedAt: true } })
    : null;
  // A deactivated agent keeps the tickets they had, but is handed no new one.
  if (input.assigneeId && (!assignee || !isStaff(assignee.role) || assignee.deactivatedAt)) throw new AppError("ASSIGNEE_INVALID");
  const team = input.teamId
    ? await deps.db.team.findUnique({ where: { id: input.teamId }, select: { id: true, name: true, active: true, members: { select: { userId: true } } } })
    : null;
  if (input.teamId && !team) throw new AppError("TEAM_NOT_FOUND");

  const now = deps.clock.now();
  const result = await deps.db.$transaction(async (tx) => {
    const locked = await lockTicket(tx, found.id, input.version);
    const before = await tx.ticket.findUniqueOrThrow({
      where: { id: found.id },
      select: { assigneeId: true, assignee: { select: { name: true, email: true } }, teamId: true, team: { select: { name: true } } },
    });
    const teamId = input.teamId === undefined ? before.teamId : (team?.id ?? null);
    // A ticket already with a deactivated team may stay there; nothing new is handed to one.
    if (team && !team.active && teamId !== before.teamId) throw new AppError("TEAM_INACTIVE");
    let assigneeId = input.assigneeId === undefined ? before.assigneeId : (assignee?.id ?? null);
    if (input.assigneeId === undefined && team && teamId !== before.teamId && assigneeId && !team.members.some((m) => m.userId === assigneeId)) {
      assigneeId = null;
    }
    const assigneeChanged = assigneeId !== before.assigneeId;
    const teamChanged = teamId !== before.teamId;
    if (!assigneeChanged && !teamChanged) return { changed: false, assigneeChanged, assigneeId, teamId, version: locked.version, notifyTeam: false };

    const { version } = await tx.ticket.update({ where: { id: found.id }, data: { assigneeId, teamId, updatedAt: now }, select: { version: true } });
    if (teamChanged) {
      await tx.ticketEvent.create({
        data: { ticketId: found.id, actorId: actor.id, type: "TEAM_CHANGED", fromValue: before.team?.name ?? null, toValue: team?.name ?? null, createdAt: now },
      });
    }
    if (assigneeChanged) {
      const to = assigneeId === assignee?.id ? assignee : null;
      await tx.ticketEvent.create({
        data: { ticketId: found.id, actorId: actor.id, type: "ASSIGNED", fromValue: personLabel(before.assignee), toValue: personLabel(to), createdAt: now },
      });
    }
    return { changed: true, assigneeChanged, assigneeId, teamId, version, notifyTeam: teamChanged && !!team && !assigneeId };
  });

  if (result.changed) {
    await deps.bus.publish({ type: "ticket.updated", ticketId: found.id, number: found.number, requesterId: found.requesterId, emailIds: [] });
    // The assignment is saved: a bell that cannot ring must not turn it into an error.
    if (assignee && result.assigneeChanged) {
      await notifyStaff(deps, { userIds: [assignee.id], kind: "ASSIGNED", ticketId: found.id, actorId: actor.id }).catch(() => []);
    } else if (result.notifyTeam && team) {
      await notifyStaff(deps, { userIds: team.members.map((m) => m.userId), kind: "TEAM_ASSIGNED", ticketId: found.id, actorId: actor.id }).catch(() => []);
    }
  }
  return { assigneeId: result.assigneeId, teamId: result.teamId, version: result.version };
}
