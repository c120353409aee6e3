import { env } from "~/env";
import { composeApp } from "~/server/compose";
import { recordingBus } from "~/server/modules/events";
import { reindexAll } from "~/server/modules/kb/reindex";
import { seedDemo } from "~/server/seed/demo";
import { seedDemoCannedReplies } from "~/server/seed/demo-canned-replies";
import { seedDemoArticles } from "~/server/seed/demo-articles";
import { seedDemoTeams } from "~/server/seed/demo-teams";
import { ensureDefaultSla } from "~/server/modules/sla/settings-store";

const app = composeApp(env, { poolSize: 2 });
// The demo's tickets and articles announce nothing: no live hint, no queued mail, no index job.
const deps = { ...app.deps, bus: recordingBus() };
// Seeds 000 and 002: the default calendar (the env's zone and holidays) and the default SLA policy.
await ensureDefaultSla(deps.db, { timeZone: env.BUSINESS_TIME_ZONE, holidays: env.BUSINESS_HOLIDAYS });
const result = await seedDemo(deps);
console.log(result.created ? "→ demo data seeded" : "→ demo data already present");
const agent = await deps.db.user.findUniqueOrThrow({ where: { email: "agente@ventanilla.test" }, select: { id: true } });
if ((await seedDemoArticles(deps, agent.id)) > 0) {
  // No worker runs yet at seeding time: index the new articles here.
  await reindexAll(deps);
  console.log("→ demo help articles published and indexed");
}
const admin = await deps.db.user.findUniqueOrThrow({ where: { email: "admin@ventanilla.test" }, select: { id: true } });
if ((await seedDemoCannedReplies(deps, admin.id)) > 0) console.log("→ demo canned replies added");
if ((await seedDemoTeams(deps)) > 0) console.log("→ demo teams added");
await app.close();
