import type { ReportOptions } from "~/shared/schemas/reports";
import type { Deps } from "../deps";
import { reportZone } from "./overview";
import { localDay } from "./period";

/** What the filters offer: teams, staff, categories, and today in the desk's zone (the presets count from it). */
export async function reportOptions(deps: Pick<Deps, "db" | "clock">): Promise<ReportOptions> {
  const [timeZone, teams, agents, categories] = await Promise.all([
    reportZone(deps.db),
    deps.db.team.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    deps.db.user.findMany({ where: { role: { in: ["AGENT", "ADMIN"] } }, select: { id: true, name: true, email: true }, orderBy: [{ name: "asc" }, { email: "asc" }] }),
    deps.db.category.findMany({ select: { id: true, nameEs: true, nameEn: true }, orderBy: [{ position: "asc" }, { nameEs: "asc" }] }),
  ]);
  return { timeZone, today: localDay(deps.clock.now(), timeZone), teams, agents, categories };
}
