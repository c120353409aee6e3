import type { Deps } from "~/server/modules/deps";
import { reindexAll } from "~/server/modules/kb/reindex";
import { ensureDefaultSla } from "~/server/modules/sla/settings-store";
import { seedCatalog } from "./catalog";
import { seedDemo } from "./demo";
import { seedDemoCannedReplies } from "./demo-canned-replies";
import { seedDemoTeams } from "./demo-teams";
import { seedDemoTickets } from "./demo-tickets";
import { seedKbArticles } from "./kb-articles";

/**
 * Everything `npm start` seeds, in order, each part idempotent (a second run adds nothing). Pass a
 * recording bus: the demo announces nothing live and queues no mail. One line per part.
 */
export async function seedAll(deps: Deps, sla: { timeZone: string; holidays: string }, log: (line: string) => void = () => {}) {
  // Seeds 000 and 002: the default calendar (the env's zone and holidays) and the default SLA policy.
  await ensureDefaultSla(deps.db, sla);
  const result = await seedDemo(deps);
  log(result.created ? "→ demo data seeded" : "→ demo data already present");
  await seedCatalog(deps); // Seed 002's "Servicio técnico" fields and the demo products.
  const agent = await deps.db.user.findUniqueOrThrow({ where: { email: "agente@ventanilla.test" }, select: { id: true } });
  if ((await seedKbArticles(deps, agent.id)) > 0) {
    // No worker runs yet at seeding time: index the new articles here.
    await reindexAll(deps);
    log("→ demo help articles published and indexed");
  }
  const admin = await deps.db.user.findUniqueOrThrow({ where: { email: "admin@ventanilla.test" }, select: { id: true } });
  if ((await seedDemoCannedReplies(deps, admin.id)) > 0) log("→ demo canned replies added");
  if ((await seedDemoTeams(deps)) > 0) log("→ demo teams added");
  if ((await seedDemoTickets(deps)) > 0) log("→ demo tickets in every status added");
}
