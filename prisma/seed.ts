import { env, publicUrl } from "~/env";
import { createDb } from "~/server/db/client";
import { seedDemo } from "~/server/seed/demo";

const db = createDb(env.DATABASE_URL, 2);
const result = await seedDemo(db, { fromAddress: env.MAIL_FROM_ADDRESS, team: env.TEAM_NAME, publicUrl: publicUrl(env) });
console.log(result.created ? "→ demo data seeded" : "→ demo data already present");
await db.$disconnect();
