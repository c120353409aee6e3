import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import type { Account, Profile } from "next-auth";
import { encode } from "next-auth/jwt";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { decideOAuthSignIn, oauthSignInCallback, revocationAwareDecode, type OAuthSignInFacts } from "~/server/auth/oauth-linking";
import { hashPassword } from "~/server/auth/password";
import { readSession } from "~/server/auth/session";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "../support/fixtures";

// next-auth's own account handler, as its OAuth callback route runs it right after the signIn callback.
// (Not among the package's exports: loaded by its path.)
const callbackHandler = (createRequire(import.meta.url)(path.resolve(import.meta.dirname, "../../node_modules/next-auth/core/lib/callback-handler.js")) as { default: (p: unknown) => Promise<{ user: { id: string } }> }).default;

const tag = () => randomUUID().slice(0, 8);

async function passwordUser(email = `clave-${tag()}@example.test`) {
  return db.user.create({ data: { email, name: "Con Clave", passwordHash: await hashPassword("contraseña-previa") } });
}

function googleLogin(email: string, emailVerified: unknown): { account: Account; profile: Profile } {
  const sub = `1${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  return {
    account: { type: "oauth", provider: "google", providerAccountId: sub, access_token: "at", token_type: "bearer", id_token: "idt", expires_at: 1_900_000_000, scope: "openid email profile" },
    profile: { sub, email, email_verified: emailVerified, name: "G" } as Profile,
  };
}

function facebookLogin(email: string | undefined): { account: Account; profile: Profile } {
  const id = `fb${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  // Facebook's Graph profile: no verification claim at all (an `email_verified` here must not count).
  return {
    account: { type: "oauth", provider: "facebook", providerAccountId: id, access_token: "at", token_type: "bearer", expires_at: 1_900_000_000 },
    profile: { id, email, name: "F", email_verified: true } as Profile,
  };
}

/** The callback as options.ts wires it, with the browser's Cookie header given. */
const signInCallback = (cookie?: string) => oauthSignInCallback({ db, secret: env.NEXTAUTH_SECRET, cookieHeader: async () => cookie });

const accountsOf = (userId: string) => db.account.findMany({ where: { userId }, select: { provider: true, providerAccountId: true } });
const snapshot = (id: string) => db.user.findUniqueOrThrow({ where: { id }, select: { email: true, passwordHash: true, sessionsValidAfter: true, emailVerified: true, name: true } });

/** A session cookie as next-auth issues it at sign-in (our jwt callback adds `authTime`). */
async function signedInCookie(userId: string, authTime = Date.now()) {
  return `next-auth.session-token=${await encode({ token: { sub: userId, authTime }, secret: env.NEXTAUTH_SECRET })}`;
}

describe("OAuth linking policy", () => {
  const base: OAuthSignInFacts = { provider: "google", email: "a@example.test", emailVerified: true, linkedUserId: null, sessionUserId: null, existing: null };

  it("links Google to an existing account only when Google verified the address", () => {
    expect(decideOAuthSignIn({ ...base, existing: { id: "u1", hasPassword: true } })).toEqual({ kind: "link-by-verified-email", userId: "u1" });
    expect(decideOAuthSignIn({ ...base, emailVerified: false, existing: { id: "u1", hasPassword: true } })).toEqual({ kind: "refuse", error: "OAuthEmailUnverified" });
  });

  it("opens no account for an unverified Google address", () => {
    expect(decideOAuthSignIn({ ...base })).toEqual({ kind: "create" });
    expect(decideOAuthSignIn({ ...base, emailVerified: false })).toEqual({ kind: "refuse", error: "OAuthEmailUnverified" });
  });

  it("never links Facebook by address, whatever it claims, says whether a password can prove the account, and opens no account on its word", () => {
    const fb = { ...base, provider: "facebook", emailVerified: true };
    expect(decideOAuthSignIn({ ...fb, existing: { id: "u1", hasPassword: true } })).toEqual({ kind: "refuse", error: "OAuthLinkWithPassword" });
    expect(decideOAuthSignIn({ ...fb, existing: { id: "u1", hasPassword: false } })).toEqual({ kind: "refuse", error: "OAuthLinkNoPassword" });
    expect(decideOAuthSignIn({ ...fb })).toEqual({ kind: "refuse", error: "OAuthNoAccount" });
  });

  it("links to the signed-in user, and refuses a provider account that belongs to someone else", () => {
    expect(decideOAuthSignIn({ ...base, provider: "facebook", sessionUserId: "u1", existing: { id: "u2", hasPassword: true } })).toEqual({ kind: "link-to-session", userId: "u1" });
    expect(decideOAuthSignIn({ ...base, linkedUserId: "u2", sessionUserId: "u1" })).toEqual({ kind: "refuse", error: "OAuthLinkedElsewhere" });
    expect(decideOAuthSignIn({ ...base, linkedUserId: "u2", emailVerified: false })).toEqual({ kind: "sign-in", userId: "u2" });
  });
});

describe("OAuth sign-in callback", () => {
  it("Facebook auto-link refused: an address matching a password account is refused, nothing linked or changed", async () => {
    const user = await passwordUser();
    const before = await snapshot(user.id);
    const { account, profile } = facebookLogin(user.email.toUpperCase());
    expect(await signInCallback()({ account, profile })).toBe("/login?error=OAuthLinkWithPassword");
    expect(await accountsOf(user.id)).toEqual([]);
    expect(await snapshot(user.id)).toEqual(before);
  });

  it("Facebook auto-link refused: an account without a password (known by a phone ticket) is told to set one first", async () => {
    const user = await makeUser("CUSTOMER");
    const { account, profile } = facebookLogin(user.email);
    expect(await signInCallback()({ account, profile })).toBe("/login?error=OAuthLinkNoPassword");
    expect(await accountsOf(user.id)).toEqual([]);
  });

  it("Facebook pending link completes once signed in with the password: linked from the profile, password kept", async () => {
    const user = await passwordUser();
    const before = await snapshot(user.id);
    const cookie = await signedInCookie(user.id);
    const { account, profile } = facebookLogin(user.email);
    // The profile's "Vincular Facebook": the same Facebook login, now from a signed-in browser.
    expect(await signInCallback(cookie)({ account, profile })).toBe(true);
    expect(await accountsOf(user.id)).toEqual([{ provider: "facebook", providerAccountId: account.providerAccountId }]);
    expect(await snapshot(user.id)).toEqual(before);
    // …and next-auth then finds that account linked to the signed-in user.
    const adapter = PrismaAdapter(db as never);
    expect((await adapter.getUserByAccount!({ provider: "facebook", providerAccountId: account.providerAccountId }))?.id).toBe(user.id);
  });

  it("a revoked session cannot link a provider: it counts as no session, so the address rules apply", async () => {
    const user = await passwordUser();
    const cookie = await signedInCookie(user.id, Date.now() - 60_000);
    await db.user.update({ where: { id: user.id }, data: { sessionsValidAfter: new Date() } });
    const { account, profile } = facebookLogin(user.email);
    expect(await signInCallback(cookie)({ account, profile })).toBe("/login?error=OAuthLinkWithPassword");
    expect(await accountsOf(user.id)).toEqual([]);
  });

  it("Google with an unverified address matching an existing account is refused; no Account row; account untouched", async () => {
    const user = await passwordUser();
    const before = await snapshot(user.id);
    for (const claim of [false, undefined, "true"]) {
      const { account, profile } = googleLogin(user.email, claim);
      expect(await signInCallback()({ account, profile })).toBe("/login?error=OAuthEmailUnverified");
    }
    expect(await accountsOf(user.id)).toEqual([]);
    expect(await snapshot(user.id)).toEqual(before);
  });

  it("a verified Google login takes a pre-registered password account from whoever set the password", async () => {
    const { deps } = testDeps();
    const user = await passwordUser();
    // Whoever set the password has a session and linked their own Facebook account.
    const oldCookie = await signedInCookie(user.id, Date.now() - 5_000);
    const oldFixtureCookie = await sessionCookie(user.id); // a token with only `iat`, no authTime
    await db.account.create({ data: { userId: user.id, type: "oauth", provider: "facebook", providerAccountId: `fb-${tag()}` } });
    expect((await (await callerFor(deps, null, { cookie: oldCookie })).user.me())?.id).toBe(user.id);

    await new Promise((r) => setTimeout(r, 1_100)); // a later second than the fixture token's `iat`
    const { account, profile } = googleLogin(user.email, true);
    expect(await signInCallback()({ account, profile })).toBe(true);

    expect(await accountsOf(user.id)).toEqual([{ provider: "google", providerAccountId: account.providerAccountId }]);
    const after = await snapshot(user.id);
    expect(after.passwordHash).toBeNull();
    expect(after.sessionsValidAfter).toBeInstanceOf(Date);
    for (const cookie of [oldCookie, oldFixtureCookie]) {
      expect(await readSession(db, cookie, env.NEXTAUTH_SECRET)).toEqual({ actor: null, stale: true });
      expect(await (await callerFor(deps, null, { cookie })).user.me()).toBeNull();
      await expect((await callerFor(deps, null, { cookie })).user.profile()).rejects.toMatchObject({ cause: { code: "SESSION_EXPIRED" } });
    }
    // The Google session, issued after the link, works.
    const fresh = await signedInCookie(user.id);
    expect((await (await callerFor(deps, null, { cookie: fresh })).user.me())?.id).toBe(user.id);
  });

  it("a verified Google login links a customer known only by a phone ticket and revokes nothing", async () => {
    const user = await makeUser("CUSTOMER");
    const { account, profile } = googleLogin(user.email, true);
    expect(await signInCallback()({ account, profile })).toBe(true);
    expect(await accountsOf(user.id)).toEqual([{ provider: "google", providerAccountId: account.providerAccountId }]);
    expect((await snapshot(user.id)).sessionsValidAfter).toBeNull();
  });

  it("the guard decides, not next-auth: without it, next-auth refuses the same address match it would otherwise let the guard link", async () => {
    const user = await makeUser("CUSTOMER");
    const { account, profile } = googleLogin(user.email, true);
    const options = {
      adapter: PrismaAdapter(db as never),
      jwt: { secret: env.NEXTAUTH_SECRET, decode: revocationAwareDecode(db) },
      events: {},
      session: { strategy: "jwt", generateSessionToken: () => randomUUID() },
      provider: { id: "google" }, // as configured: no allowDangerousEmailAccountLinking
    };
    const mapped = { id: profile.sub, email: user.email, name: "G" };
    await expect(callbackHandler({ profile: mapped, account, options })).rejects.toMatchObject({ name: "AccountNotLinkedError" });
    expect(await accountsOf(user.id)).toEqual([]);
    expect(await signInCallback()({ account, profile })).toBe(true);
    expect((await callbackHandler({ profile: mapped, account, options })).user.id).toBe(user.id);
  });
});

describe("sessions revoked by sessionsValidAfter", () => {
  it("readSession refuses a token older than sessionsValidAfter, also once next-auth re-issued it with a fresh iat", async () => {
    const user = await makeUser("CUSTOMER");
    const started = Date.now() - 10_000;
    const cookie = await signedInCookie(user.id, started);
    expect((await readSession(db, cookie, env.NEXTAUTH_SECRET)).actor?.id).toBe(user.id);
    await db.user.update({ where: { id: user.id }, data: { sessionsValidAfter: new Date(started + 1) } });
    // Re-encoded now (as /api/auth/session does), its `iat` is after the revocation, its authTime is not.
    expect(await readSession(db, cookie, env.NEXTAUTH_SECRET)).toEqual({ actor: null, stale: true });
    expect((await readSession(db, await signedInCookie(user.id), env.NEXTAUTH_SECRET)).actor?.id).toBe(user.id);
    // A token with only `iat` (no authTime, as issued before authTime existed) is judged by `iat`.
    const iatOnly = await sessionCookie(user.id);
    expect((await readSession(db, iatOnly, env.NEXTAUTH_SECRET)).actor?.id).toBe(user.id);
    await db.user.update({ where: { id: user.id }, data: { sessionsValidAfter: new Date(Date.now() + 60_000) } });
    expect(await readSession(db, iatOnly, env.NEXTAUTH_SECRET)).toEqual({ actor: null, stale: true });
  });

  it("next-auth's own decode (OAuth callback, /api/auth/session) treats a revoked session as none", async () => {
    const user = await makeUser("CUSTOMER");
    const decodeRevocable = revocationAwareDecode(db);
    const token = await encode({ token: { sub: user.id, authTime: Date.now() - 10_000 }, secret: env.NEXTAUTH_SECRET });
    expect((await decodeRevocable({ token, secret: env.NEXTAUTH_SECRET }))?.sub).toBe(user.id);
    await db.user.update({ where: { id: user.id }, data: { sessionsValidAfter: new Date() } });
    expect(await decodeRevocable({ token, secret: env.NEXTAUTH_SECRET })).toBeNull();
  });
});

describe("a password sign-in racing a revocation", () => {
  it("a session whose password check began before the revocation is revoked too (it starts when the check starts)", async () => {
    const { authorizeCredentials } = await import("~/server/auth/credentials");
    const { createRateLimits } = await import("~/server/modules/security/rate-limit");
    const authOptions = (await import("~/server/auth/options")).authOptions(testDeps().deps);
    const { isSessionRevoked } = await import("~/server/auth/session");
    const user = await passwordUser();
    const signedIn = await authorizeCredentials({ email: user.email, password: "contraseña-previa" }, { headers: {} }, { db, rateLimits: createRateLimits(null, `vt-race-${tag()}`) });
    expect(signedIn?.id).toBe(user.id);
    // A verified Google link lands while the password was being checked: after the check began,
    // before next-auth minted the cookie.
    const revokedAt = new Date(signedIn!.authTime + 1);
    await db.user.update({ where: { id: user.id }, data: { passwordHash: null, sessionsValidAfter: revokedAt } });
    await new Promise((r) => setTimeout(r, 5));
    const token = (await authOptions.callbacks!.jwt!({ token: {}, user: signedIn as never, account: null, trigger: "signIn" } as never)) as Record<string, unknown>;
    expect(token.authTime).toBe(signedIn!.authTime);
    expect(isSessionRevoked(token, revokedAt)).toBe(true);
  });
});

describe("next-auth's redirect", () => {
  it("never throws on a malformed callbackUrl (POST body included) and never leaves the site", async () => {
    const authOptions = (await import("~/server/auth/options")).authOptions(testDeps().deps);
    const redirect = (url: string) => authOptions.callbacks!.redirect!({ url, baseUrl: "http://localhost:3000" }) as string;
    expect(redirect("http://[bad")).toBe("http://localhost:3000");
    expect(redirect("x y")).toBe("http://localhost:3000");
    expect(redirect("//evil.example/x")).toBe("http://localhost:3000");
    expect(redirect("javascript:alert(1)")).toBe("http://localhost:3000");
    expect(redirect("https://evil.example/portal")).toBe("http://localhost:3000");
    expect(redirect("/portal")).toBe("http://localhost:3000/portal");
    expect(redirect("http://localhost:3000/agent")).toBe("http://localhost:3000/agent");
  });
});
