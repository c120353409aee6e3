import { z } from "zod";
import { AppError } from "~/server/errors";
import type { Deps } from "../../deps";

export const REVIEWABLE = ["UNPROCESSABLE", "HELD"] as const;

export const listInboundInput = z.strictObject({
  status: z.enum(["RECEIVED", "PROCESSED", "DUPLICATE", "IGNORED", "HELD", "UNPROCESSABLE"]).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** What arrived by mail and what became of it; admins see every mail, including the ones held back. */
export function listInboundMail(deps: Pick<Deps, "db">, input: z.input<typeof listInboundInput>) {
  const { status, limit } = listInboundInput.parse(input);
  return deps.db.inboundMail.findMany({
    where: status ? { status } : {},
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, envelopeFrom: true, envelopeTo: true, size: true, source: true, receivedAt: true, status: true, reason: true, attempts: true, ticketId: true },
  });
}

/**
 * Sends a mail the parser could not understand, or one held by the rate limit, through the pipeline
 * again. A held mail is released: the limit that held it does not apply a second time.
 */
export async function retryInboundMail(deps: Pick<Deps, "db" | "queues">, id: string) {
  const row = await deps.db.inboundMail.findUnique({ where: { id }, select: { status: true } });
  if (!row || !(REVIEWABLE as readonly string[]).includes(row.status)) throw new AppError("INBOUND_NOT_RETRYABLE");
  const released = row.status === "HELD";
  const { count } = await deps.db.inboundMail.updateMany({
    where: { id, status: row.status },
    data: { status: "RECEIVED", reason: released ? "released by an administrator" : null, processedAt: null, attempts: 0 },
  });
  if (count === 0) throw new AppError("INBOUND_NOT_RETRYABLE");
  await deps.queues.enqueueInbound([id], { release: released });
  return { released };
}
