import type { Job } from "bullmq";
import { SLA_BATCHES_IN_FLIGHT, type SlaJob } from "~/server/adapters/bullmq/sla-queue";
import type { Deps } from "~/server/modules/deps";
import { fireDueSlaEvents, slaTimerBatcher } from "~/server/modules/sla/timers";
import { closeDueTickets, closeIfDue } from "~/server/modules/tickets/auto-close";
import type { Logger } from "~/server/observability/logger";

// Apart from workers/sla.ts (which starts the worker on the app's Redis, read from the env) so that
// bench:sla runs this very handler on its own Redis.

/** How often the sweep derives due closes and SLA events from the database: the most a lost timer is late. */
export const SLA_SWEEP_EVERY_MS = 60_000;

/**
 * The SLA queue's job handler (what the workers process runs, and bench:sla measures): a ticket's
 * automatic close, its SLA timer — handed to the process's batcher, so the timers due in the same
 * tick share one read and one statement — and the sweep. `warm` prepares the batches' connections.
 */
export function slaJobHandler(deps: Deps, log: Logger) {
  const timers = slaTimerBatcher(deps, { maxInFlight: SLA_BATCHES_IN_FLIGHT });
  async function handle(job: Job<SlaJob>): Promise<unknown> {
    // The team name, default language and mail templates as an admin last set them.
    await deps.settings.current();
    if (job.data.kind === "auto-close") return closeIfDue(deps, job.data.ticketId);
    if (job.data.kind === "sla") return (await timers.fire(job.data.ticketId)).length;
    const closed = await closeDueTickets(deps, 500, (ticketId, err) => log.error({ err, ticketId }, "sla sweep: closing failed"));
    if (closed) log.info({ closed }, "sla sweep closed tickets");
    const fired = await fireDueSlaEvents(deps, {
      budgetMs: SLA_SWEEP_EVERY_MS - 10_000,
      onError: (ticketId, err) => log.error({ err, ticketId }, "sla sweep: firing an SLA event failed"),
    });
    if (fired) log.info({ fired }, "sla sweep fired SLA events whose timers were lost");
    return closed + fired;
  }
  return { handle, warm: () => timers.warm() };
}

