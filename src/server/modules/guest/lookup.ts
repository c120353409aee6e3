import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import type { Deps } from "../deps";
import { hashedKey, limitFailures, type RateLimits } from "../security/rate-limit";
import { normalizeTrackingId } from "../tickets/tracking-id";

/*
 * "Ver Tickets existentes" (seed 001): the tracking ID plus the address the ticket was opened with.
 * A wrong pair and an unknown ID get the same answer (GUEST_LOOKUP_FAILED) from the same single
 * query; failures count against the client address and against the ID (so an ID cannot be tried
 * with many addresses from many clients). The right pair gives its points back and opens that one
 * ticket to this browser for a while (capability.ts): nothing about the account.
 */

/** Loose on purpose: case, dashes and spaces do not matter (normalizeTrackingId); a bad shape is just a wrong pair. */
export const guestLookupInput = z.strictObject({
  trackingId: z.string().max(64),
  email: z.string().max(320),
});
export type GuestLookupInput = z.input<typeof guestLookupInput>;

export interface LookupCaller {
  limits: Pick<RateLimits, "guestLookupIp" | "guestLookupTicket">;
  ip: string;
}

/** The ID as stored (`XXXX-XXXX-XXXX-XXXX`) from whatever was typed. */
export function canonicalTrackingId(typed: string): string {
  return normalizeTrackingId(typed.replace(/\s+/g, ""));
}

export async function lookupGuestTicket(deps: Pick<Deps, "db">, raw: GuestLookupInput, caller: LookupCaller): Promise<{ ticketId: string }> {
  const input = guestLookupInput.parse(raw);
  const trackingId = canonicalTrackingId(input.trackingId);
  const email = input.email.trim().toLowerCase();
  const keys = [
    { limiter: caller.limits.guestLookupIp, key: caller.ip, onSuccess: "refund" as const },
    { limiter: caller.limits.guestLookupTicket, key: hashedKey(trackingId || "-"), onSuccess: "refund" as const },
  ];
  return limitFailures(
    keys,
    async () => {
      const { rows } = await sqlOf(deps.db).query<{ id: string }>(
        sql`SELECT t.id FROM "Ticket" t JOIN "User" u ON u.id = t."requesterId" WHERE t."trackingId" = ${trackingId} AND u.email = ${email}`,
      );
      if (!rows[0]) throw new AppError("GUEST_LOOKUP_FAILED");
      return { ticketId: rows[0].id };
    },
    (o) => !o.ok && o.error instanceof AppError && o.error.code === "GUEST_LOOKUP_FAILED",
  );
}
