import { z } from "zod";
import { listTemplates, previewTemplate, previewTemplateInput, restoreTemplate, saveTemplate, saveTemplateInput, templateRef } from "~/server/modules/mail-templates/manage";
import { getSettings, updateSettings, updateSettingsInput } from "~/server/modules/settings/app-settings";
import { getPortalTexts, portalIntro, portalTextPage, updatePortalText, updatePortalTextInput } from "~/server/modules/settings/portal-texts";
import * as out from "~/shared/schemas/accounts";
import { adminProcedure, publicProcedure, router } from "../trpc";

/** /admin/ajustes, /admin/plantillas, /admin/textos-portal: what an admin changes in the app rather than in the environment. */
export const settingsRouter = router({
  get: adminProcedure.output(out.appSettings).query(({ ctx }) => getSettings(ctx.deps)),
  update: adminProcedure.input(updateSettingsInput).output(out.appSettings).mutation(({ ctx, input }) => updateSettings(ctx.deps, input, ctx.actor.id)),

  templates: adminProcedure.query(({ ctx }) => listTemplates(ctx.deps)),
  saveTemplate: adminProcedure.input(saveTemplateInput).mutation(({ ctx, input }) => saveTemplate(ctx.deps, input, ctx.actor.id)),
  restoreTemplate: adminProcedure.input(templateRef).mutation(({ ctx, input }) => restoreTemplate(ctx.deps, input, ctx.actor.id)),
  // A mutation only because a draft body is too long for a URL; it changes nothing.
  previewTemplate: adminProcedure.input(previewTemplateInput).mutation(({ ctx, input }) => previewTemplate(ctx.deps, input)),

  portalTexts: adminProcedure.query(({ ctx }) => getPortalTexts(ctx.deps)),
  updatePortalText: adminProcedure.input(updatePortalTextInput).mutation(({ ctx, input }) => updatePortalText(ctx.deps, input, ctx.actor.id)),
  /** A page's introduction in the caller's language, as safe HTML (public: the pages it is shown on are). */
  portalIntro: publicProcedure
    .input(z.strictObject({ page: portalTextPage }))
    .output(z.object({ html: z.string().nullable() }))
    .query(async ({ ctx, input }) => ({ html: await portalIntro(ctx.deps, input.page, ctx.locale) })),
});
