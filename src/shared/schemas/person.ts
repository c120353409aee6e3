import { z } from "zod";

/**
 * A user as lists and tickets name them. What a customer gets of a staff member comes through
 * nameOnly (server/modules/tickets/staff-identity.ts): the same shape with `id` and `email` blanked
 * to "", so both are plain strings here, not ids or addresses.
 */
export const person = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });
export type Person = z.infer<typeof person>;

export const people = z.array(person);
