import { z } from "zod";
import { AppError } from "~/server/errors";
import type { Prisma } from "~/server/generated/prisma/client";
import { NAME_MAX } from "~/shared/enums";
import { STAFF_ROLES, type StaffPerson } from "~/shared/schemas/people";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";
import type { Tx } from "../notifications/outbox";
import { stageInvitation } from "../users/invitations";

// The help desk's staff (/admin/personas): admins invite agents and admins by mail, change their
// role, deactivate and reactivate them. Every change is audited in its own transaction.

const userId = z.string().min(1).max(64);
const staffRole = z.enum(STAFF_ROLES);

import { emailSchema as emailInput } from "../accounts/tokens";

export const listStaffInput = z.strictObject({
  q: z.string().trim().max(200).optional(),
  role: staffRole.optional(),
  state: z.enum(["active", "deactivated"]).optional(),
});

export const inviteStaffInput = z.strictObject({
  email: emailInput,
  name: z.string().trim().max(NAME_MAX, "NAME_TOO_LONG").nullish().transform((n) => n || null),
  role: staffRole,
  teamIds: z.array(z.string().min(1).max(64)).max(50).default([]),
});

export const resendInvitationInput = z.strictObject({ userId });
export const setRoleInput = z.strictObject({ userId, role: staffRole });
export const setActiveInput = z.strictObject({ userId, active: z.boolean() });

function requireAdmin(actor: Actor) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
}

const staffSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  deactivatedAt: true,
  passwordHash: true,
  createdAt: true,
  _count: { select: { accounts: true } },
  teams: { select: { team: { select: { id: true, name: true } } }, orderBy: { team: { name: "asc" } } },
} satisfies Prisma.UserSelect;
type StaffRow = Prisma.UserGetPayload<{ select: typeof staffSelect }>;

function shape(u: StaffRow): StaffPerson {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role as StaffPerson["role"],
    active: !u.deactivatedAt,
    deactivatedAt: u.deactivatedAt,
    // Never signed in yet: no password and no Google/Facebook login of their own.
    pending: !u.passwordHash && u._count.accounts === 0,
    teams: u.teams.map((m) => m.team),
    createdAt: u.createdAt,
  };
}

/** Agents and admins, by name: the staff list is small (tens, hundreds), so no pages. */
export async function listStaff(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof listStaffInput>): Promise<StaffPerson[]> {
  requireAdmin(actor);
  const input = listStaffInput.parse(raw);
  const where: Prisma.UserWhereInput = {
    role: input.role ? input.role : { in: [...STAFF_ROLES] },
    ...(input.state === "active" && { deactivatedAt: null }),
    ...(input.state === "deactivated" && { deactivatedAt: { not: null } }),
    ...(input.q && { OR: [{ name: { contains: input.q, mode: "insensitive" } }, { email: { contains: input.q, mode: "insensitive" } }] }),
  };
  const rows = await deps.db.user.findMany({ where, select: staffSelect, orderBy: [{ name: "asc" }, { email: "asc" }], take: 1000 });
  return rows.map(shape);
}

async function staffTeams(tx: Tx, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = await tx.team.count({ where: { id: { in: unique } } });
  if (found !== unique.length) throw new AppError("TEAM_NOT_FOUND");
  return unique;
}

/**
 * Creates the person (no password yet) with their role and teams, and stages a single-use, expiring
 * invitation (users/invitations.ts: hashed token, the same /invitacion page customers use). An
 * address of staff who never accepted gets a fresh invitation; one of active staff or of a customer
 * is refused. The mail is enqueued once the transaction commits (event staff.invited).
 */
export async function inviteStaff(deps: Deps, actor: Actor, raw: z.input<typeof inviteStaffInput>): Promise<StaffPerson> {
  requireAdmin(actor);
  const input = inviteStaffInput.parse(raw);
  const result = await deps.db.$transaction(async (tx) => {
    // Serializes with any other path creating this address (a mail, a sign-up).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`user-email:${input.email}`}))`;
    const teamIds = await staffTeams(tx, input.teamIds);
    const existing = await tx.user.findUnique({ where: { email: input.email }, select: staffSelect });
    if (existing && existing.role === "CUSTOMER") throw new AppError("PERSON_IS_CUSTOMER");
    if (existing && !shape(existing).pending) throw new AppError("PERSON_EMAIL_TAKEN");
    const now = deps.clock.now();
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { role: input.role, name: input.name ?? existing.name, deactivatedAt: null }, select: { id: true, email: true, name: true, locale: true } })
      : await tx.user.create({ data: { email: input.email, name: input.name, role: input.role, createdAt: now }, select: { id: true, email: true, name: true, locale: true } });
    if (teamIds.length) await tx.teamMember.createMany({ data: teamIds.map((teamId) => ({ teamId, userId: user.id })), skipDuplicates: true });
    // Earlier links stop working: only the newest invitation is valid.
    await tx.invitation.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    const staged = await stageInvitation(deps, tx, user, { staffRole: input.role });
    await recordAudit(tx, {
      actorId: actor.id,
      action: existing ? "user.reinvite" : "user.invite",
      entityType: "user",
      entityId: user.id,
      before: existing ? { role: existing.role } : undefined,
      after: { email: user.email, role: input.role, teamIds },
    });
    return { id: user.id, emailId: staged.emailId };
  });
  await deps.bus.publish({ type: "staff.invited", userId: result.id, emailIds: [result.emailId] });
  return shape(await deps.db.user.findUniqueOrThrow({ where: { id: result.id }, select: staffSelect }));
}

/** A new link for staff who have not accepted yet (the old one stops working). */
export async function resendStaffInvitation(deps: Deps, actor: Actor, raw: z.input<typeof resendInvitationInput>): Promise<StaffPerson> {
  requireAdmin(actor);
  const { userId: id } = resendInvitationInput.parse(raw);
  const person = await deps.db.user.findUnique({ where: { id }, select: staffSelect });
  if (!person || person.role === "CUSTOMER") throw new AppError("PERSON_NOT_FOUND");
  if (!shape(person).pending) throw new AppError("PERSON_ALREADY_JOINED");
  if (person.deactivatedAt) throw new AppError("PERSON_DEACTIVATED");
  return inviteStaff(deps, actor, { email: person.email, name: person.name ?? undefined, role: person.role as StaffPerson["role"] });
}

/**
 * Locks the set of admins for this transaction: two admins demoting or deactivating each other at
 * the same moment must not both succeed and leave nobody in charge.
 */
async function lockAdmins(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('people:admins'))`;
}

async function loadTarget(tx: Tx, actor: Actor, id: string) {
  if (id === actor.id) throw new AppError("PERSON_SELF_CHANGE");
  const person = await tx.user.findUnique({ where: { id }, select: { id: true, role: true, deactivatedAt: true, email: true } });
  if (!person || person.role === "CUSTOMER") throw new AppError("PERSON_NOT_FOUND");
  return person;
}

/** Whether `id` is the only active admin left. */
async function isLastActiveAdmin(tx: Tx, id: string): Promise<boolean> {
  const others = await tx.user.count({ where: { role: "ADMIN", deactivatedAt: null, id: { not: id } } });
  return others === 0;
}

/** Agent ↔ admin. Not one's own role; never the last active admin down to agent. */
export async function setStaffRole(deps: Deps, actor: Actor, raw: z.input<typeof setRoleInput>): Promise<StaffPerson> {
  requireAdmin(actor);
  const input = setRoleInput.parse(raw);
  await deps.db.$transaction(async (tx) => {
    await lockAdmins(tx);
    const person = await loadTarget(tx, actor, input.userId);
    if (person.role === input.role) return;
    if (person.role === "ADMIN" && !person.deactivatedAt && (await isLastActiveAdmin(tx, person.id))) throw new AppError("PERSON_LAST_ADMIN");
    await tx.user.update({ where: { id: person.id }, data: { role: input.role } });
    await recordAudit(tx, { actorId: actor.id, action: "user.role", entityType: "user", entityId: person.id, before: { role: person.role }, after: { role: input.role } });
  });
  return shape(await deps.db.user.findUniqueOrThrow({ where: { id: input.userId }, select: staffSelect }));
}

/**
 * Deactivation takes effect at once: sign-in is refused (credentials.ts, oauth-linking.ts), every
 * session ends (readSession refuses a deactivated user; `sessionsValidAfter` keeps sessions from
 * before it dead after a reactivation; database Session rows go), pending invitations stop working,
 * and every open socket is disconnected on every web process (event user.sessionsEnded). Their
 * tickets stay assigned to them until someone reassigns them (the queue's "Desactivados" filter).
 */
export async function setStaffActive(deps: Deps, actor: Actor, raw: z.input<typeof setActiveInput>): Promise<StaffPerson> {
  requireAdmin(actor);
  const input = setActiveInput.parse(raw);
  const ended = await deps.db.$transaction(async (tx) => {
    await lockAdmins(tx);
    const person = await loadTarget(tx, actor, input.userId);
    if (!person.deactivatedAt === input.active) return false;
    const now = deps.clock.now();
    if (input.active) {
      await tx.user.update({ where: { id: person.id }, data: { deactivatedAt: null } });
    } else {
      if (person.role === "ADMIN" && (await isLastActiveAdmin(tx, person.id))) throw new AppError("PERSON_LAST_ADMIN");
      // Sessions are compared with real time (a cookie's authTime), whatever clock the caller runs on.
      const cut = new Date(Math.max(now.getTime(), Date.now()));
      await tx.user.update({ where: { id: person.id }, data: { deactivatedAt: now, sessionsValidAfter: cut } });
      await tx.session.deleteMany({ where: { userId: person.id } });
      await tx.invitation.updateMany({ where: { userId: person.id, usedAt: null }, data: { usedAt: now } });
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: input.active ? "user.reactivate" : "user.deactivate",
      entityType: "user",
      entityId: person.id,
      before: { active: !input.active },
      after: { active: input.active },
    });
    return !input.active;
  });
  if (ended) await deps.bus.publish({ type: "user.sessionsEnded", userId: input.userId });
  return shape(await deps.db.user.findUniqueOrThrow({ where: { id: input.userId }, select: staffSelect }));
}
