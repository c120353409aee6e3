import { z } from "zod";

/** invitation.get: the address only while the link is valid. */
export const invitationInfo = z.object({
  status: z.enum(["valid", "used", "expired", "invalid"]),
  valid: z.boolean(),
  email: z.string().nullable(),
});
export type InvitationInfo = z.infer<typeof invitationInfo>;

/** invitation.accept: the address to sign in with. */
export const acceptedInvitation = z.object({ email: z.string(), staff: z.boolean() });
