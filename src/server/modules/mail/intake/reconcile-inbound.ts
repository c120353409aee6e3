import type { Deps } from "../../deps";

/**
 * Stored mail that was never processed (Redis lost the job, a worker died mid-job) goes back on the
 * queue. Processing is idempotent, so a mail that is in fact still queued is not processed twice.
 */
export const MAX_INBOUND_ATTEMPTS = 10;

export async function reconcileInbound(deps: Pick<Deps, "db" | "clock" | "queues">, olderThanMs = 30_000, batch = 500) {
  const before = new Date(deps.clock.now().getTime() - olderThanMs);
  // A mail that keeps failing (or crashing the worker) goes to the admins' review instead of looping.
  await deps.db.inboundMail.updateMany({
    where: { status: "RECEIVED", attempts: { gte: MAX_INBOUND_ATTEMPTS } },
    data: { status: "UNPROCESSABLE", reason: `gave up after ${MAX_INBOUND_ATTEMPTS} attempts`, processedAt: deps.clock.now() },
  });
  const stale = await deps.db.inboundMail.findMany({
    where: { status: "RECEIVED", receivedAt: { lt: before } },
    select: { id: true },
    orderBy: { receivedAt: "asc" },
    take: batch,
  });
  await deps.queues.enqueueInbound(stale.map((m) => m.id), { revive: true });
  return stale.length;
}
