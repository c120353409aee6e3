import { listAgents } from "~/server/modules/users/list-agents";
import { agentProcedure, publicProcedure, router } from "../trpc";

export const userRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.actor),
  agents: agentProcedure.query(({ ctx }) => listAgents(ctx.deps)),
});
