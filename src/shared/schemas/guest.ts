import { z } from "zod";

/** What the guest form answers: the tracking ID to show (the same one is mailed). */
export const guestTicketCreated = z.object({ trackingId: z.string(), created: z.boolean() });
export const guestOk = z.object({ ok: z.literal(true) });
/** A guest's reply: a ticket that takes no more replies opened a follow-up, now the one this browser holds. */
export const guestReplyResult = z.object({ id: z.string(), followUp: z.object({ number: z.number(), trackingId: z.string() }).nullable() });
