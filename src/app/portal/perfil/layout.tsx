import { Suspense, type ReactNode } from "react";
import { requireActor } from "~/server/auth/current-actor";
import { linkedProviders } from "~/server/auth/oauth-linking";
import { enabledOAuthProviders } from "~/server/auth/options";
import { db } from "~/server/db/client";
import { LinkProviders } from "./LinkProviders";

/**
 * The profile, plus its "Vincular Google/Facebook" buttons: the way a user whose address already has
 * an account links a provider that is never linked by address (Facebook), after proving the account
 * by signing in (src/server/auth/oauth-linking.ts, `link-to-session`).
 */
export default async function ProfileLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor("portal");
  const enabled = enabledOAuthProviders();
  const linked = enabled.length ? await linkedProviders(db, actor.id) : [];
  return (
    <>
      {children}
      {enabled.length > 0 && (
        <Suspense>
          <LinkProviders enabled={enabled} linked={linked} />
        </Suspense>
      )}
    </>
  );
}
