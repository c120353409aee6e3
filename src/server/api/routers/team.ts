import { createTeam, createTeamInput, listTeams, updateTeam, updateTeamInput } from "~/server/modules/teams/manage-teams";
import * as out from "~/shared/schemas/teams";
import { adminProcedure, agentProcedure, router } from "../trpc";

// Staff list the active teams (to hand tickets to them); admins see every team and manage them (/admin/equipos).
export const teamRouter = router({
  list: agentProcedure.output(out.teams).query(({ ctx }) => listTeams(ctx.deps, ctx.actor)),
  all: adminProcedure.output(out.teams).query(({ ctx }) => listTeams(ctx.deps, ctx.actor, { includeInactive: true })),
  create: adminProcedure.input(createTeamInput).output(out.team).mutation(({ ctx, input }) => createTeam(ctx.deps, ctx.actor, input)),
  update: adminProcedure.input(updateTeamInput).output(out.team).mutation(({ ctx, input }) => updateTeam(ctx.deps, ctx.actor, input)),
});
