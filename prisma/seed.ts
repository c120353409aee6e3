import { env } from "~/env";
import { createDb } from "~/server/db/client";
import { mailSettings } from "~/server/modules/deps";
import { reindexAll } from "~/server/modules/kb/reindex";
import { createSearchEngine } from "~/server/adapters/create-search-engine";
import { seedDemo } from "~/server/seed/demo";
import { seedDemoArticles } from "~/server/seed/demo-articles";

const db = createDb(env.DATABASE_URL, 2);
const result = await seedDemo(db, mailSettings(env));
console.log(result.created ? "→ demo data seeded" : "→ demo data already present");
const agent = await db.user.findUniqueOrThrow({ where: { email: "agente@ventanilla.test" }, select: { id: true } });
if ((await seedDemoArticles(db, mailSettings(env), agent.id)) > 0) {
  // No worker runs yet at seeding time: index the new articles here.
  await reindexAll({ db }, createSearchEngine({ db, meiliUrl: env.MEILI_URL, meiliKey: env.MEILI_MASTER_KEY }));
  console.log("→ demo help articles published and indexed");
}
await db.$disconnect();
