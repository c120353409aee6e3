import type { Clock } from "~/server/clock";
import type { Db } from "~/server/db/client";
import type { EnqueueEmails } from "./email-queue";

/**
 * Re-enqueues staged mail the queue never heard of (Redis down at commit time, a crash between
 * commit and enqueue). Job ids equal email ids, so mail already queued is not queued twice.
 */
export async function reconcileOutbox(deps: { db: Db; clock: Clock }, enqueue: EnqueueEmails, olderThanMs = 30_000, batch = 500) {
  const before = new Date(deps.clock.now().getTime() - olderThanMs);
  const stale = await deps.db.outboundEmail.findMany({
    where: { status: "QUEUED", createdAt: { lt: before } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: batch,
  });
  await enqueue(stale.map((e) => e.id));
  return stale.length;
}
