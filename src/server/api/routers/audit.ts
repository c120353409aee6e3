import { auditFilters, listAudit, listAuditInput } from "~/server/modules/audit/list-audit";
import { adminProcedure, router } from "../trpc";

/** /admin/auditoria: every admin change, who made it, when, and what it was before and after. */
export const auditRouter = router({
  list: adminProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.deps, input)),
  filters: adminProcedure.query(({ ctx }) => auditFilters(ctx.deps)),
});
