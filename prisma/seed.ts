import { env } from "~/env";
import { composeApp } from "~/server/compose";
import { recordingBus } from "~/server/modules/events";
import { seedAll } from "~/server/seed/index";

const app = composeApp(env, { poolSize: 2 });
// The demo's tickets and articles announce nothing: no live hint, no queued mail, no index job.
const deps = { ...app.deps, bus: recordingBus() };
await seedAll(deps, { timeZone: env.BUSINESS_TIME_ZONE, holidays: env.BUSINESS_HOLIDAYS }, (line) => console.log(line));
await app.close();
