// `npm run reports:rebuild`: recomputes the reports' tables (TicketMetric, ReportDaily, ReportKbDaily) from the
// tickets, in the default business calendar's time zone. Run it after changing that zone; the
// triggers keep everything current otherwise. Ticket writes wait while it runs.
import { env } from "~/env";
import { createDb } from "~/server/db/client";
import { rebuildReports } from "~/server/modules/reports/rebuild";

const db = createDb(env.DATABASE_URL);
const started = performance.now();
try {
  const { tickets, timeZone } = await rebuildReports(db);
  console.log(`reports rebuilt: ${tickets} tickets, days in ${timeZone}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await db.$disconnect();
}
