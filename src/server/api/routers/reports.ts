import { reportOptions } from "~/server/modules/reports/options";
import { reportOverview } from "~/server/modules/reports/overview";
import { reportInput } from "~/server/modules/reports/period";
import * as out from "~/shared/schemas/reports";
import { adminProcedure, router } from "../trpc";

// /admin/reports: admins only (the CSV files are served by src/server/http/report-csv.ts with the same check).
export const reportsRouter = router({
  options: adminProcedure.output(out.reportOptions).query(({ ctx }) => reportOptions(ctx.deps)),
  overview: adminProcedure.input(reportInput).output(out.reportOverview).query(({ ctx, input }) => reportOverview(ctx.deps, input)),
});
