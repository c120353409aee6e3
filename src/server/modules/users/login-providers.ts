import { linkedProviders } from "~/server/auth/oauth-linking";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

export type OAuthProvider = "google" | "facebook";

/** The profile's "Vincular …" buttons: the providers switched on, and those already linked to this user. */
export async function loginProviders(deps: Pick<Deps, "db">, actor: Actor, enabled: OAuthProvider[]) {
  return { enabled, linked: enabled.length ? await linkedProviders(deps.db, actor.id) : [] };
}
