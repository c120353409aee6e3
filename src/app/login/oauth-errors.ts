import type { MessageKey } from "~/i18n";

// The refusals of the signIn callback (src/server/auth/oauth-linking.ts) with their own message;
// any other `?error=` (next-auth's own: OAuthCallback, AccessDenied…) gets the generic one.
const KNOWN = new Set([
  "OAuthEmailUnverified",
  "OAuthLinkWithPassword",
  "OAuthLinkNoPassword",
  "OAuthNoAccount",
  "OAuthNoEmail",
  "OAuthLinkedElsewhere",
  "OAuthLinkFailed",
  "OAuthAccountNotLinked",
  "OAuthAccountDeactivated",
]);

/** The message for an `?error=` code next-auth or the signIn callback put in the URL, or null for none. */
export function oauthErrorKey(code: string | null | undefined): MessageKey | null {
  if (!code) return null;
  return KNOWN.has(code) ? (`oauth.${code}` as MessageKey) : "oauth.generic";
}
