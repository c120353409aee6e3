import { z } from "zod";
import { AppError } from "~/server/errors";
import { isStaff, type TicketStatus } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { mergedEmail } from "../notifications/action-templates";
import { mailContext, requesterForMail, stageTicketEmail } from "./ticket-mail";
import { assertVersion, expectedVersion } from "./version";

export const mergeInput = z.strictObject({
  /** The duplicate: it is closed and points at the survivor. */
  ticketId: z.string().min(1).max(64),
  /** The survivor, by the number the agent reads on it. */
  targetNumber: z.number().int().positive().max(2_147_483_647),
  version: expectedVersion,
  targetVersion: expectedVersion,
});
export type MergeInput = z.input<typeof mergeInput>;

const FINAL: readonly TicketStatus[] = ["CLOSED", "REJECTED"];

interface Locked {
  id: string;
  number: number;
  status: TicketStatus;
  version: number;
  requesterId: string;
  mergedIntoId: string | null;
}

/**
 * Merges a duplicate into the ticket that carries on (Freshdesk's "merge"): the duplicate's messages
 * and attachments move into the survivor's thread, where they sort by when they were written and
 * show "Fusionado desde #N"; the duplicate is closed pointing at the survivor (its pages say so, and
 * mail to its reply address lands in the survivor: mail/threading/find-thread.ts); both histories
 * record it; the customer is told once, on the duplicate's mail thread.
 *
 * Only tickets of one requester merge: the survivor's thread is what its requester reads in the
 * portal, so another customer's messages moved there would be disclosed to them. (Freshdesk allows
 * it and keeps the survivor's requester; for a desk whose customers read their threads, refusing
 * is the safe rule, and an agent can still link the two by mentioning the number.)
 *
 * Both rows are locked (in id order, so two merges of the same pair cannot deadlock) and both
 * versions checked. A retry of a merge already done returns the same result and writes nothing.
 */
export async function mergeTicket(deps: Deps, actor: Actor, raw: MergeInput) {
  const input = mergeInput.parse(raw);
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const now = deps.clock.now();
  const result = await deps.db.$transaction(async (tx) => {
    const target = await tx.ticket.findUnique({ where: { number: input.targetNumber }, select: { id: true } });
    if (!target) throw new AppError("MERGE_TARGET_NOT_FOUND", { number: input.targetNumber });
    if (target.id === input.ticketId) throw new AppError("MERGE_SELF");
    const ids = [input.ticketId, target.id].sort();
    const rows = await tx.$queryRaw<Locked[]>`SELECT id, number, status::text AS status, version, "requesterId", "mergedIntoId"
      FROM "Ticket" WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE`;
    const dup = rows.find((r) => r.id === input.ticketId);
    if (!dup) throw new AppError("TICKET_NOT_FOUND");
    const survivor = rows.find((r) => r.id === target.id);
    if (!survivor) throw new AppError("MERGE_TARGET_NOT_FOUND", { number: input.targetNumber });
    // Done before (a retried request): the same answer, nothing written again.
    if (dup.mergedIntoId === survivor.id) return { merged: false as const, dup, survivor };
    if (dup.mergedIntoId) {
      const to = await tx.ticket.findUniqueOrThrow({ where: { id: dup.mergedIntoId }, select: { number: true } });
      throw new AppError("TICKET_MERGED", { number: to.number });
    }
    assertVersion(dup.version, input.version);
    assertVersion(survivor.version, input.targetVersion);
    if (survivor.mergedIntoId) throw new AppError("MERGE_TARGET_MERGED", { number: survivor.number });
    if (FINAL.includes(survivor.status)) throw new AppError("MERGE_TARGET_FINAL", { number: survivor.number });
    if (survivor.requesterId !== dup.requesterId) throw new AppError("MERGE_REQUESTER_MISMATCH");

    // Messages keep where they came from (a message merged into the duplicate earlier keeps its first origin);
    // a retry key belongs to the ticket it was written on.
    await tx.$executeRaw`UPDATE "Message" SET "ticketId" = ${survivor.id}, "mergedFromTicketId" = COALESCE("mergedFromTicketId", ${dup.id}), "clientRequestId" = NULL
      WHERE "ticketId" = ${dup.id}`;
    await tx.$executeRaw`UPDATE "Attachment" SET "ticketId" = ${survivor.id} WHERE "ticketId" = ${dup.id}`;
    // Tickets merged into the duplicate before now point at the survivor: a pointer is never two hops.
    await tx.$executeRaw`UPDATE "Ticket" SET "mergedIntoId" = ${survivor.id} WHERE "mergedIntoId" = ${dup.id}`;
    await tx.ticket.update({ where: { id: dup.id }, data: { status: "CLOSED", closedAt: now, mergedIntoId: survivor.id, updatedAt: now } });
    // The customer's messages that moved count for the survivor's "last customer message" (the queue's column),
    // and their words find it (the message triggers only append on insert; the same 400 kB cap).
    await tx.$executeRaw`UPDATE "Ticket" s SET "updatedAt" = ${now},
        "lastCustomerMessageAt" = GREATEST(s."lastCustomerMessageAt", d."lastCustomerMessageAt"),
        "searchVector" = CASE WHEN pg_column_size(s."searchVector") < 400000 THEN s."searchVector" || d."searchVector" ELSE s."searchVector" END,
        "customerSearchVector" = CASE WHEN pg_column_size(s."customerSearchVector") < 400000 THEN s."customerSearchVector" || d."customerSearchVector" ELSE s."customerSearchVector" END
      FROM "Ticket" d WHERE d.id = ${dup.id} AND s.id = ${survivor.id}`;
    await tx.ticketEvent.createMany({
      data: [
        ...(dup.status !== "CLOSED" ? [{ ticketId: dup.id, actorId: actor.id, type: "STATUS_CHANGED" as const, fromValue: dup.status, toValue: "CLOSED", createdAt: now }] : []),
        { ticketId: dup.id, actorId: actor.id, type: "MERGED_INTO", toValue: String(survivor.number), createdAt: now },
        { ticketId: survivor.id, actorId: actor.id, type: "MERGED_FROM", fromValue: String(dup.number), createdAt: now },
      ],
    });
    const forMail = await tx.ticket.findUniqueOrThrow({
      where: { id: dup.id },
      select: { id: true, number: true, subject: true, trackingId: true, replyToken: true, requester: requesterForMail },
    });
    const ctx = mailContext(deps, forMail);
    const survivorUrl = ctx.ticketUrl.replace(/\/\d+$/, `/${survivor.number}`);
    const mail = mergedEmail({ ...ctx, survivor: survivor.number, survivorUrl });
    // Keyed by the duplicate: it can be merged once, so the customer is told once.
    const emailId = await stageTicketEmail(deps, tx, forMail, "ticket_merged", dup.id, mail);
    return { merged: true as const, dup, survivor, emailId };
  });

  const { dup, survivor } = result;
  if (result.merged) {
    await deps.bus.publish({ type: "ticket.updated", ticketId: dup.id, number: dup.number, requesterId: dup.requesterId, emailIds: [result.emailId] });
    await deps.bus.publish({ type: "ticket.updated", ticketId: survivor.id, number: survivor.number, requesterId: survivor.requesterId, emailIds: [] });
  }
  return { merged: result.merged, survivorNumber: survivor.number, survivorId: survivor.id };
}
