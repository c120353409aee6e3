import { Suspense, type ReactNode } from "react";
import { requireActor } from "~/server/auth/current-actor";
import { serverApi } from "~/trpc/server";
import { LinkProviders } from "./LinkProviders";

/**
 * The profile, plus its "Vincular Google/Facebook" buttons: the way a user whose address already has
 * an account links a provider that is never linked by address (Facebook), after proving the account
 * by signing in (src/server/auth/oauth-linking.ts, `link-to-session`).
 */
export default async function ProfileLayout({ children }: { children: ReactNode }) {
  await requireActor("portal");
  const { enabled, linked } = await (await serverApi()).user.loginProviders();
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
