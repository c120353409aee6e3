import type { z } from "zod";
import type { slaAdminView } from "~/shared/schemas/sla";

export type SlaAdminViewData = z.infer<typeof slaAdminView>;
export type { SlaCalendarView, SlaPolicyView } from "~/shared/schemas/sla";
