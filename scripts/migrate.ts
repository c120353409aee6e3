import { env } from "~/env";
import { ensureDatabase, migrate } from "~/server/db/migrate";

if (await ensureDatabase(env.DATABASE_URL)) console.log(`→ created database ${new URL(env.DATABASE_URL).pathname.slice(1)}`);
const applied = await migrate(env.DATABASE_URL, (l) => console.log(`→ ${l}`));
if (applied.length === 0) console.log("→ database schema is up to date");
