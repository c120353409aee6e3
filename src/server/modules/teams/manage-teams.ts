import { z } from "zod";
import { AppError } from "~/server/errors";
import { Prisma } from "~/server/generated/prisma/client";
import { isStaff } from "~/shared/enums";
import { TEAM_DESCRIPTION_MAX, TEAM_MEMBERS_MAX, TEAM_NAME_MAX } from "~/shared/teams";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

// Admins make the teams (/admin/equipos) and say who is in each; agents hand tickets to them
// (tickets/assign-ticket.ts) and work their own teams' tickets from the queue's "Mi equipo".

export const teamId = z.string().min(1).max(64);
const name = z.string().trim().min(1, "NAME_REQUIRED").max(TEAM_NAME_MAX, "NAME_TOO_LONG");
const description = z.string().trim().max(TEAM_DESCRIPTION_MAX, "DESCRIPTION_TOO_LONG").nullable().transform((d) => d || null);
const memberIds = z.array(z.string().min(1).max(64)).max(TEAM_MEMBERS_MAX);

export const createTeamInput = z.strictObject({ name, description: description.default(null), memberIds: memberIds.default([]) });
export const updateTeamInput = z.strictObject({
  id: teamId,
  name: name.optional(),
  description: description.optional(),
  active: z.boolean().optional(),
  memberIds: memberIds.optional(),
});

const view = {
  id: true,
  name: true,
  description: true,
  active: true,
  members: { select: { user: { select: { id: true, name: true, email: true } } }, orderBy: { user: { email: "asc" } } },
} satisfies Prisma.TeamSelect;

type TeamRow = Prisma.TeamGetPayload<{ select: typeof view }>;
const shape = (t: TeamRow) => ({ id: t.id, name: t.name, description: t.description, active: t.active, members: t.members.map((m) => m.user) });
export type TeamView = ReturnType<typeof shape>;

function requireAdmin(actor: Actor) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
}

/** Every team with its members, by name: staff see them all (to hand tickets over); inactive ones only when asked. */
export async function listTeams(deps: Pick<Deps, "db">, actor: Actor, opts: { includeInactive?: boolean } = {}): Promise<TeamView[]> {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const rows = await deps.db.team.findMany({ where: opts.includeInactive ? {} : { active: true }, select: view, orderBy: { name: "asc" } });
  return rows.map(shape);
}

/** Only agents and admins can be members; an id that is not one is refused, naming nothing about who it is. */
async function staffIds(deps: Pick<Deps, "db">, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = await deps.db.user.count({ where: { id: { in: unique }, role: { in: ["AGENT", "ADMIN"] } } });
  if (found !== unique.length) throw new AppError("TEAM_MEMBER_INVALID");
  return unique;
}

/** The name is unique whatever its case (index Team_name_lower_key); both unique indexes answer P2002. */
function nameTaken(err: unknown): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new AppError("TEAM_NAME_TAKEN");
  throw err;
}

export async function createTeam(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof createTeamInput>): Promise<TeamView> {
  requireAdmin(actor);
  const input = createTeamInput.parse(raw);
  const members = await staffIds(deps, input.memberIds);
  const team = await deps.db.team
    .create({ data: { name: input.name, description: input.description, members: { create: members.map((userId) => ({ userId })) } }, select: view })
    .catch(nameTaken);
  return shape(team);
}

/** Renames, describes, (de)activates and, when `memberIds` is given, sets the members to exactly those. */
export async function updateTeam(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof updateTeamInput>): Promise<TeamView> {
  requireAdmin(actor);
  const { id, memberIds: wanted, ...data } = updateTeamInput.parse(raw);
  const members = wanted ? await staffIds(deps, wanted) : null;
  const team = await deps.db
    .$transaction(async (tx) => {
      const { count } = await tx.team.updateMany({ where: { id }, data });
      if (!count) throw new AppError("TEAM_NOT_FOUND");
      if (members) {
        await tx.teamMember.deleteMany({ where: { teamId: id, userId: { notIn: members } } });
        await tx.teamMember.createMany({ data: members.map((userId) => ({ teamId: id, userId })), skipDuplicates: true });
      }
      return tx.team.findUniqueOrThrow({ where: { id }, select: view });
    })
    .catch(nameTaken);
  return shape(team);
}
