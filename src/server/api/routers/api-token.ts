import {
  createPersonalToken,
  createServiceToken,
  createServiceTokenInput,
  createTokenInput,
  listAllTokens,
  listMyTokens,
  revokeToken,
  tokenIdInput,
} from "~/server/modules/api-tokens/manage-tokens";
import * as out from "~/shared/schemas/api-tokens";
import { adminProcedure, agentProcedure, router } from "../trpc";

// Tokens of the integration API (/api/v1): an agent's own at /agent/tokens, every token and the
// service tokens at /admin/api. The secret is answered once, by create.
export const apiTokenRouter = router({
  mine: agentProcedure.output(out.apiTokenList).query(({ ctx }) => listMyTokens(ctx.deps, ctx.actor)),
  create: agentProcedure.input(createTokenInput).output(out.issuedApiToken).mutation(({ ctx, input }) => createPersonalToken(ctx.deps, ctx.actor, input)),
  revoke: agentProcedure.input(tokenIdInput).output(out.revokedApiToken).mutation(({ ctx, input }) => revokeToken(ctx.deps, ctx.actor, input)),
  all: adminProcedure.output(out.apiTokenList).query(({ ctx }) => listAllTokens(ctx.deps, ctx.actor)),
  createService: adminProcedure.input(createServiceTokenInput).output(out.issuedApiToken).mutation(({ ctx, input }) => createServiceToken(ctx.deps, ctx.actor, input)),
});
