import { getSettings, updateSettings, updateSettingsInput } from "~/server/modules/settings/app-settings";
import * as out from "~/shared/schemas/accounts";
import { adminProcedure, router } from "../trpc";

/** /admin/ajustes: settings an admin changes in the app rather than in the environment. */
export const settingsRouter = router({
  get: adminProcedure.output(out.appSettings).query(({ ctx }) => getSettings(ctx.deps)),
  update: adminProcedure.input(updateSettingsInput).output(out.appSettings).mutation(({ ctx, input }) => updateSettings(ctx.deps, input, ctx.actor.id)),
});
