import { z } from "zod";
import { NAME_MAX } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

const profileSelect = { email: true, name: true } as const;

/** The signed-in user's own profile. */
export function getProfile(deps: Pick<Deps, "db">, actor: Actor) {
  return deps.db.user.findUniqueOrThrow({ where: { id: actor.id }, select: profileSelect });
}

export const updateProfileInput = z.strictObject({
  name: z.string().trim().min(1, "NAME_REQUIRED").max(NAME_MAX, "NAME_TOO_LONG"),
});
export type UpdateProfileInput = z.input<typeof updateProfileInput>;

/** Anyone signed in may change their own name (the one shown on tickets and in mails). */
export async function updateProfile(deps: Pick<Deps, "db">, actor: Actor, raw: UpdateProfileInput) {
  const input = updateProfileInput.parse(raw);
  return deps.db.user.update({ where: { id: actor.id }, data: { name: input.name }, select: profileSelect });
}
