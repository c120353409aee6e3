import type { Account, Profile } from "next-auth";
import { decode, type JWTDecodeParams } from "next-auth/jwt";
import type { Db } from "~/server/db/client";
import { isSessionRevoked, readSession } from "./session";

/*
 * Which OAuth sign-ins may attach to which existing user. This is the only code that links a
 * provider account to a user who already exists; next-auth itself only signs in accounts already
 * linked and creates users for addresses nobody has (no provider sets
 * `allowDangerousEmailAccountLinking`, so if this guard let an address match through, next-auth
 * would still refuse it with OAuthAccountNotLinked rather than link it).
 *
 * Why it matters (pre-account takeover, the Zammad/Chatwoot CVE class): whoever can sign in at a
 * provider with an address the provider never checked must not get, or keep a door into, the
 * account that address names in Ventanilla, where tickets opened by phone or mail for it land.
 */

/** Providers whose `email_verified` claim we trust (OpenID Connect, Google's ID token). */
const VERIFIED_EMAIL_PROVIDERS: ReadonlySet<string> = new Set(["google"]);

export type OAuthSignInError =
  /** Google has not verified the address: it neither links nor opens an account. */
  | "OAuthEmailUnverified"
  /** Facebook (any provider without trusted verification) and an existing account with a password. */
  | "OAuthLinkWithPassword"
  /** …and an existing account without a password (first known from a phone ticket or a mail). */
  | "OAuthLinkNoPassword"
  /** A provider whose addresses we cannot check (Facebook) and no account yet: it opens none. */
  | "OAuthNoAccount"
  /** The provider shared no address, and there is no signed-in user to link it to. */
  | "OAuthNoEmail"
  /** The provider account already belongs to someone other than the signed-in user. */
  | "OAuthLinkedElsewhere"
  /** Linking failed (e.g. the same login linked twice at once); nothing was changed. */
  | "OAuthLinkFailed"
  /** The user this sign-in names was deactivated by an admin (/admin/personas). */
  | "OAuthAccountDeactivated";

export type OAuthDecision =
  /** Already linked: next-auth signs that user in. */
  | { kind: "sign-in"; userId: string }
  /** No user has the address: next-auth creates one and links the provider account to it. */
  | { kind: "create" }
  /** A signed-in user (valid, unrevoked session) links this provider account to themselves. */
  | { kind: "link-to-session"; userId: string }
  /** The provider vouches for the address of an existing user: link, and revoke every other way in. */
  | { kind: "link-by-verified-email"; userId: string }
  | { kind: "refuse"; error: OAuthSignInError };

export interface OAuthSignInFacts {
  provider: string;
  /** The provider's address, lower-cased; null when it shared none. */
  email: string | null;
  /** The provider asserted that it verified the address (`email_verified === true`). */
  emailVerified: boolean;
  /** The user this provider account is already linked to. */
  linkedUserId: string | null;
  /** The user signed in in this browser, by a session that is valid and not revoked. */
  sessionUserId: string | null;
  /** The user whose address is `email`. */
  existing: { id: string; hasPassword: boolean } | null;
}

/** The policy, pure: who this OAuth sign-in is, or why it is refused. */
export function decideOAuthSignIn(f: OAuthSignInFacts): OAuthDecision {
  if (f.linkedUserId) {
    if (f.sessionUserId && f.sessionUserId !== f.linkedUserId) return { kind: "refuse", error: "OAuthLinkedElsewhere" };
    return { kind: "sign-in", userId: f.linkedUserId };
  }
  // Signed in already (by password, say), the user links a provider from their profile: the session
  // proves the account, the provider's login proves the provider account; the address plays no part.
  if (f.sessionUserId) return { kind: "link-to-session", userId: f.sessionUserId };
  if (!f.email) return { kind: "refuse", error: "OAuthNoEmail" };
  const trusted = VERIFIED_EMAIL_PROVIDERS.has(f.provider);
  // An unverified Google address opens no account either: the address is how tickets opened later by
  // phone or by mail find their customer, so an account created on it would read the real owner's.
  if (trusted && !f.emailVerified) return { kind: "refuse", error: "OAuthEmailUnverified" };
  // Facebook's address is its word only: it opens no account either (an account made on a stranger's
  // address would collect the real owner's mail and phone tickets). Its owner links it once signed in.
  if (!f.existing) return trusted ? { kind: "create" } : { kind: "refuse", error: "OAuthNoAccount" };
  if (trusted) return { kind: "link-by-verified-email", userId: f.existing.id };
  // Facebook: its address proves nothing we can check; the owner links it once signed in.
  return { kind: "refuse", error: f.existing.hasPassword ? "OAuthLinkWithPassword" : "OAuthLinkNoPassword" };
}

export function normalizeEmail(email: unknown): string | null {
  return typeof email === "string" && email.trim() ? email.trim().toLowerCase() : null;
}

/** The columns of an Account row, taken one by one from what the provider returned (as the adapter stores them). */
function accountRow(account: Account, userId: string) {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    userId,
    type: account.type,
    provider: account.provider,
    providerAccountId: account.providerAccountId,
    refresh_token: str(account.refresh_token),
    access_token: str(account.access_token),
    expires_at: typeof account.expires_at === "number" ? Math.trunc(account.expires_at) : null,
    token_type: str(account.token_type),
    scope: str(account.scope),
    id_token: str(account.id_token),
    session_state: str(account.session_state),
  };
}

/**
 * Links the provider account to the user. Linked because the provider verified the address
 * (`revokeOthers`), the address's owner becomes the only one in: a password someone else may have
 * set, and other provider accounts someone else may have linked, are removed and every session
 * that began before now is refused (readSession, and next-auth's own decode: see `revocationAwareDecode`).
 * One transaction: the link never exists without the revocation.
 */
export async function linkProviderAccount(db: Db, userId: string, account: Account, opts: { revokeOthers: boolean; now?: Date }): Promise<{ revoked: boolean }> {
  const now = opts.now ?? new Date();
  return db.$transaction(async (tx) => {
    await tx.account.create({ data: accountRow(account, userId) });
    if (!opts.revokeOthers) return { revoked: false };
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
    const others = await tx.account.deleteMany({ where: { userId, NOT: { provider: account.provider, providerAccountId: account.providerAccountId } } });
    const revoked = !!user.passwordHash || others.count > 0;
    await tx.user.update({
      where: { id: userId },
      data: { emailVerified: now, ...(revoked && { passwordHash: null, sessionsValidAfter: now }) },
    });
    return { revoked };
  });
}

export interface OAuthSignInDeps {
  db: Db;
  /** The Cookie header of the request being handled (the OAuth callback). */
  cookieHeader(): Promise<string | null | undefined>;
  secret: string;
  log?: (message: string, err: unknown) => void;
}

/**
 * Where a refused sign-in lands, with the localized reason: the login page, or for a signed-in user
 * linking from their profile, the profile (the login page sends signed-in users home).
 */
export const refusalUrl = (error: OAuthSignInError, signedIn = false) => `${signedIn ? "/portal/perfil" : "/login"}?error=${error}`;

/**
 * next-auth's `signIn` callback. It runs after the provider's response is verified and before
 * next-auth looks up, creates or links any user, so whatever it refuses changes nothing, and what
 * it links is in place (Account row) before next-auth looks the provider account up again.
 */
export function oauthSignInCallback(deps: OAuthSignInDeps) {
  return async ({ account, profile }: { account: Account | null; profile?: Profile | undefined }): Promise<true | string> => {
    // Credentials (password) sign-ins were decided by `authorize`.
    if (!account || account.type !== "oauth") return true;
    const { db } = deps;
    const email = normalizeEmail(profile?.email);
    const [linked, session, existing] = await Promise.all([
      db.account.findUnique({ where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } }, select: { userId: true } }),
      readSession(db, await deps.cookieHeader(), deps.secret),
      email ? db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } }) : null,
    ]);
    const named = [linked?.userId, existing?.id].filter((id): id is string => !!id);
    if (named.length && (await db.user.count({ where: { id: { in: named }, deactivatedAt: { not: null } } }))) {
      return refusalUrl("OAuthAccountDeactivated", !!session.actor);
    }
    const decision = decideOAuthSignIn({
      provider: account.provider,
      email,
      emailVerified: (profile as { email_verified?: unknown } | undefined)?.email_verified === true,
      linkedUserId: linked?.userId ?? null,
      sessionUserId: session.actor?.id ?? null,
      existing: existing ? { id: existing.id, hasPassword: !!existing.passwordHash } : null,
    });
    switch (decision.kind) {
      case "sign-in":
      case "create":
        return true;
      case "refuse":
        return refusalUrl(decision.error, !!session.actor);
      case "link-to-session":
      case "link-by-verified-email":
        try {
          await linkProviderAccount(db, decision.userId, account, { revokeOthers: decision.kind === "link-by-verified-email" });
          return true;
        } catch (err) {
          deps.log?.("OAUTH_LINK_FAILED", err);
          return refusalUrl("OAuthLinkFailed", !!session.actor);
        }
    }
  };
}

/**
 * next-auth's `jwt.decode`: the stock decoder, then the user's `sessionsValidAfter`. next-auth
 * decodes the session cookie itself in two places that never pass through readSession: the OAuth
 * callback (a signed-in user's session decides who a new provider account is linked to) and
 * /api/auth/session (which re-issues the cookie). A revoked session must count as none in both.
 */
export function revocationAwareDecode(db: Db) {
  return async (params: JWTDecodeParams) => {
    const token = await decode(params);
    if (!token?.sub) return token;
    const user = await db.user.findUnique({ where: { id: token.sub }, select: { sessionsValidAfter: true, deactivatedAt: true } });
    return user && (user.deactivatedAt || isSessionRevoked(token, user.sessionsValidAfter)) ? null : token;
  };
}

/** Which providers are linked to the user (for the profile page's "Vincular" buttons). */
export async function linkedProviders(db: Db, userId: string): Promise<string[]> {
  const rows = await db.account.findMany({ where: { userId }, select: { provider: true }, distinct: ["provider"] });
  return rows.map((r) => r.provider);
}
