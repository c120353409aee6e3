import { z } from "zod";
import { addClosedDay, deleteCalendar, deletePolicy, movePolicy, removeClosedDay, saveCalendar, savePolicy, slaAdminView } from "~/server/modules/sla/admin";
import { calendarInput, closedDayInput, holidayPreviewInput, movePolicyInput, policyInput, slaId } from "~/server/modules/sla/admin-input";
import { holidayRegions, holidaysOf } from "~/server/modules/sla/holiday-regions";
import * as out from "~/shared/schemas/sla";
import { adminProcedure, router } from "../trpc";

const byId = z.strictObject({ id: slaId });

/** Business calendars and SLA policies (/admin/sla): admins only. */
export const slaRouter = router({
  view: adminProcedure.output(out.slaAdminView).query(({ ctx }) => slaAdminView(ctx.deps)),
  holidayRegions: adminProcedure.output(out.holidayRegions).query(({ ctx }) => holidayRegions(ctx.locale)),
  holidayPreview: adminProcedure
    .input(holidayPreviewInput)
    .output(out.holidayPreview)
    .query(({ ctx, input }) => holidaysOf(input.region, input.year, ctx.locale)),
  saveCalendar: adminProcedure.input(calendarInput).mutation(({ ctx, input }) => saveCalendar(ctx.deps, input)),
  deleteCalendar: adminProcedure.input(byId).mutation(({ ctx, input }) => deleteCalendar(ctx.deps, input.id)),
  addClosedDay: adminProcedure.input(closedDayInput).mutation(({ ctx, input }) => addClosedDay(ctx.deps, input)),
  removeClosedDay: adminProcedure.input(byId).mutation(({ ctx, input }) => removeClosedDay(ctx.deps, input.id)),
  savePolicy: adminProcedure.input(policyInput).mutation(({ ctx, input }) => savePolicy(ctx.deps, input)),
  deletePolicy: adminProcedure.input(byId).mutation(({ ctx, input }) => deletePolicy(ctx.deps, input.id)),
  movePolicy: adminProcedure.input(movePolicyInput).mutation(({ ctx, input }) => movePolicy(ctx.deps, input)),
});
