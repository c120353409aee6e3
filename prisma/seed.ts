import { env } from "~/env";
import { mailSettings } from "~/server/modules/deps";
import { createDb } from "~/server/db/client";
import { seedDemo } from "~/server/seed/demo";

const db = createDb(env.DATABASE_URL, 2);
const result = await seedDemo(db, mailSettings(env));
console.log(result.created ? "→ demo data seeded" : "→ demo data already present");
await db.$disconnect();
