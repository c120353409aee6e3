// Issue 15, accounts: password reset by mail and self sign-up with address verification.
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, describe, expect, it, vi } from "vitest";
import { env, parseEnv } from "~/env";
import { verifyPassword, hashPassword } from "~/server/auth/password";
import { authorizeCredentials } from "~/server/auth/credentials";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { getPasswordReset, requestPasswordReset, resetPassword, RESET_TTL_MINUTES, sendPasswordReset } from "~/server/modules/accounts/password-reset";
import { activateSignup, processSignup, requestSignup } from "~/server/modules/accounts/sign-up";
import { hashLinkToken } from "~/server/modules/accounts/tokens";
import { createRateLimits, POLICIES } from "~/server/modules/security/rate-limit";
import { updateSettings } from "~/server/modules/settings/app-settings";
import { fixedClock } from "~/server/clock";
import { transformer } from "~/shared/transformer";
import { stageInvitation } from "~/server/modules/users/invitations";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "./support/fixtures";

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const address = (name = "cliente") => `${name}-${randomUUID().slice(0, 8)}@cliente.test`;
const PASSWORD = "una-clave-nueva-segura";
/** Work that runs after the answer, on a machine shared with other test runs. */
const WAIT = { timeout: 15_000, interval: 50 };
const limits = () => createRateLimits(null, `accounts-${randomUUID()}`);
const mailsTo = (to: string, kind?: string) => db.outboundEmail.findMany({ where: { to, ...(kind && { kind }) }, orderBy: { createdAt: "asc" } });

function tokenIn(text: string, path: string): string {
  const m = new RegExp(`http://localhost:3000/${path}/([A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return m[1]!;
}

async function userWithPassword(opts: { role?: "CUSTOMER" | "AGENT" | "ADMIN"; locale?: string; password?: string | null } = {}) {
  const user = await makeUser(opts.role ?? "CUSTOMER", { locale: opts.locale });
  const passwordHash = opts.password === null ? null : await hashPassword(opts.password ?? "la-clave-de-antes");
  return db.user.update({ where: { id: user.id }, data: { passwordHash } });
}

/** A reset requested through the domain, with its work awaited, and the link's token from the staged mail. */
async function requestReset(deps: ReturnType<typeof testDeps>["deps"], email: string) {
  const { done } = await requestPasswordReset(deps, { email }, { limits: limits(), ip: "203.0.113.1" });
  await done;
  const mail = (await mailsTo(email, "password-reset")).at(-1);
  return mail ? tokenIn(mail.text, "restablecer") : null;
}

describe("password reset", () => {
  it("mails a link in the user's language; the link sets the password once, marks the address verified and ends every session", async () => {
    const user = await userWithPassword({ locale: "en" });
    // A session from before the reset. Session cookies carry real time: the reset's clock is a little later.
    const oldCookie = await sessionCookie(user.id);
    const { deps } = testDeps({ clock: fixedClock(new Date(Date.now() + 1000)) });
    expect(user.emailVerified).toBeNull();
    const enqueued: string[][] = [];
    const token = await requestReset({ ...deps, queues: { ...deps.queues, enqueueEmails: async (ids) => void enqueued.push(ids) } }, user.email);
    const [mail] = await mailsTo(user.email, "password-reset");
    expect(enqueued).toEqual([[mail!.id]]);
    expect(mail!.subject).toBe("Reset your Ventanilla Soporte password");
    expect(mail!.text).toContain("If you have been signing in with Google or Facebook, or have no password yet, this link lets you create one too.");
    expect(mail!.text).toContain(`http://localhost:3000/restablecer/${token}`);

    expect(await (await callerFor(deps, null, { cookie: oldCookie })).user.me()).toMatchObject({ id: user.id });

    const api = await callerFor(deps, null);
    expect(await api.account.resetStatus({ token: token! })).toEqual({ status: "valid", email: user.email });
    expect(await api.account.resetPassword({ token: token!, password: PASSWORD, passwordConfirm: PASSWORD })).toEqual({ email: user.email });

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(after.passwordHash, PASSWORD)).toBe(true);
    expect(await verifyPassword(after.passwordHash, "la-clave-de-antes")).toBe(false);
    expect(after.emailVerified).toEqual(deps.clock.now());
    expect(after.sessionsValidAfter).toEqual(deps.clock.now());
    // The old session is over, for the API as for the sockets (both read sessionsValidAfter).
    await expect((await callerFor(deps, null, { cookie: oldCookie })).user.profile()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: expect.stringMatching(/sesión ha caducado/i) });

    // Single use: the same link again is refused and changes nothing.
    await expect(api.account.resetPassword({ token: token!, password: "otra-clave-distinta", passwordConfirm: "otra-clave-distinta" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await api.account.resetStatus({ token: token! })).toEqual({ status: "used", email: null });
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, PASSWORD)).toBe(true);
  });

  it("the password follows the invitation's rules, and a mistyped repeat is refused before the link is spent", async () => {
    const { deps } = testDeps();
    const user = await userWithPassword();
    const token = (await requestReset(deps, user.email))!;
    const api = await callerFor(deps, null);
    await expect(api.account.resetPassword({ token, password: "corta", passwordConfirm: "corta" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("al menos") });
    await expect(api.account.resetPassword({ token, password: PASSWORD, passwordConfirm: `${PASSWORD}x` })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Las contraseñas no coinciden." });
    expect(await getPasswordReset(deps, token)).toMatchObject({ status: "valid" });
  });

  it("stores only the SHA-256 of the token: the raw token is nowhere in the table", async () => {
    const { deps } = testDeps();
    const user = await userWithPassword();
    const token = (await requestReset(deps, user.email))!;
    const rows = await db.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashLinkToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const raw = await db.$queryRawUnsafe<Array<{ row: string }>>(`SELECT t::text AS row FROM "PasswordResetToken" t WHERE "userId" = $1`, user.id);
    expect(raw[0]!.row).not.toContain(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
  });

  it("expires after an hour (controlled clock)", async () => {
    const { deps, clock } = testDeps();
    const user = await userWithPassword();
    const token = (await requestReset(deps, user.email))!;
    clock.advance(RESET_TTL_MINUTES * 60_000 - 1000);
    expect(await getPasswordReset(deps, token)).toMatchObject({ status: "valid" });
    clock.advance(1000);
    expect(await getPasswordReset(deps, token)).toEqual({ status: "expired", email: null });
    await expect(resetPassword(deps, { token, password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ code: "RESET_LINK_EXPIRED" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionsValidAfter).toBeNull();
  });

  it("a newer link voids the older ones", async () => {
    const { deps, clock } = testDeps();
    const user = await userWithPassword();
    const first = (await requestReset(deps, user.email))!;
    clock.advance(60_000);
    const second = (await requestReset(deps, user.email))!;
    expect(second).not.toBe(first);
    expect(await getPasswordReset(deps, first)).toEqual({ status: "superseded", email: null });
    await expect(resetPassword(deps, { token: first, password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ code: "RESET_LINK_SUPERSEDED" });
    await resetPassword(deps, { token: second, password: PASSWORD, passwordConfirm: PASSWORD });
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, PASSWORD)).toBe(true);
  });

  it("of simultaneous requests only the last link works", async () => {
    const { deps } = testDeps();
    const user = await userWithPassword();
    const tokens = await Promise.all([1, 2, 3, 4].map(() => sendPasswordReset(deps, user.email)));
    const statuses = await Promise.all(tokens.map((t) => getPasswordReset(deps, t!.token)));
    expect(statuses.filter((s) => s.status === "valid")).toHaveLength(1);
  });

  it("answers an unknown address exactly as a known one, and mails nobody", async () => {
    const { deps } = testDeps();
    const known = await userWithPassword();
    const unknown = address("nadie");
    const api = await callerFor(deps, null);
    const a = await api.account.requestPasswordReset({ email: known.email });
    const b = await api.account.requestPasswordReset({ email: unknown });
    expect(a).toEqual({ accepted: true });
    expect(b).toEqual(a);
    await vi.waitFor(async () => expect(await mailsTo(known.email, "password-reset")).toHaveLength(1), WAIT);
    expect(await mailsTo(unknown)).toHaveLength(0);
    expect(await db.user.count({ where: { email: unknown } })).toBe(0);
  });

  it("works for staff, and for users without a password (Google-only, or known from a phone ticket) it sets one", async () => {
    const { deps } = testDeps();
    const agent = await userWithPassword({ role: "AGENT" });
    const googleOnly = await userWithPassword({ password: null });
    await db.account.create({ data: { userId: googleOnly.id, type: "oauth", provider: "google", providerAccountId: `g-${randomUUID()}` } });
    const invited = await userWithPassword({ password: null });
    const invitation = await db.$transaction((tx) => stageInvitation(deps, tx, invited));
    for (const u of [agent, googleOnly, invited]) {
      const token = (await requestReset(deps, u.email))!;
      await resetPassword(deps, { token, password: PASSWORD, passwordConfirm: PASSWORD });
      expect(await authorizeCredentials({ email: u.email, password: PASSWORD }, undefined, { db, rateLimits: limits() })).toMatchObject({ id: u.id });
    }
    // The Google login stays linked; the invitation sent before can no longer set another password.
    expect(await db.account.count({ where: { userId: googleOnly.id } })).toBe(1);
    expect(await db.invitation.findUniqueOrThrow({ where: { id: invitation.invitationId } })).toMatchObject({ usedAt: deps.clock.now() });
  });

  it("answers before the address is even looked up: the answer's timing cannot depend on it", async () => {
    const { deps } = testDeps();
    const user = await userWithPassword();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const lookedUp: string[] = [];
    const held = async (args: { where: { email: string } }) => {
      lookedUp.push(args.where.email);
      await gate;
      return db.user.findUnique(args as never);
    };
    // The database as the use-case sees it, with the user lookup held until the test releases it.
    const gatedDb = new Proxy(db, {
      get(target, prop) {
        if (prop === "user") return new Proxy(target.user, { get: (u, p) => (p === "findUnique" ? held : Reflect.get(u, p)) });
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const { done } = await requestPasswordReset({ ...deps, db: gatedDb }, { email: user.email }, { limits: limits(), ip: "203.0.113.5" });
    // Answered, and nothing address-dependent has even started.
    expect(lookedUp).toEqual([]);
    await vi.waitFor(() => expect(lookedUp).toEqual([user.email]), WAIT);
    expect(await mailsTo(user.email)).toHaveLength(0);
    release();
    await done;
    expect(await mailsTo(user.email, "password-reset")).toHaveLength(1);
  });

  it("is rate limited per address (known or not alike) and per client address", async () => {
    const { deps } = testDeps();
    const rl = limits();
    const known = await userWithPassword();
    for (const email of [known.email, address("nadie")]) {
      const api = await callerFor(deps, null, { rateLimits: rl, ip: `198.51.100.${Math.floor(Math.random() * 200)}` });
      for (let i = 0; i < POLICIES.accountMailAddress.points; i++) {
        // A different client each time: only the address's budget is spent.
        const fresh = await callerFor(deps, null, { rateLimits: rl, ip: `192.0.2.${i + (email === known.email ? 0 : 50)}` });
        expect(await fresh.account.requestPasswordReset({ email })).toEqual({ accepted: true });
      }
      await expect(api.account.requestPasswordReset({ email: email.toUpperCase() })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    }
    await vi.waitFor(async () => expect(await mailsTo(known.email, "password-reset")).toHaveLength(POLICIES.accountMailAddress.points), WAIT);

    // One client trying many addresses.
    const sprayer = await callerFor(deps, null, { rateLimits: rl, ip: "203.0.113.77" });
    for (let i = 0; i < POLICIES.accountMailIp.points; i++) await sprayer.account.requestPasswordReset({ email: address("spray") });
    await expect(sprayer.account.requestPasswordReset({ email: address("spray") })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("unknown reset links count against the presenting address", async () => {
    const { deps } = testDeps();
    const rl = limits();
    const api = await callerFor(deps, null, { rateLimits: rl, ip: "203.0.113.90" });
    for (let i = 0; i < POLICIES.secretLinkIp.points; i++) expect(await api.account.resetStatus({ token: randomUUID() })).toMatchObject({ status: "invalid" });
    await expect(api.account.resetStatus({ token: randomUUID() })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("over real HTTP, the mailed link is built from PUBLIC_URL even when the request forges Host and X-Forwarded-Host", async () => {
    const server: RunningServer = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", PUBLIC_URL: "https://soporte.example.test" } });
    cleanups.push(() => server.close());
    const user = await userWithPassword();
    const body = JSON.stringify(transformer.serialize({ email: user.email }));
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/api/trpc/account.requestPasswordReset`);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "http", "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBe(200);
    const mail = await vi.waitFor(async () => {
      const [m] = await mailsTo(user.email, "password-reset");
      if (!m) throw new Error("not staged yet");
      return m;
    }, WAIT);
    expect(mail.text).toMatch(/https:\/\/soporte\.example\.test\/restablecer\/[A-Za-z0-9_-]{43}/);
    expect(mail.text + mail.html).not.toContain("evil.example");
  });
});

describe("self sign-up", () => {
  async function enabled(on: boolean) {
    await updateSettings(testDeps().deps, { signupEnabled: on });
  }
  const signup = (email: string) => ({ name: "Nueva Cliente", email, password: PASSWORD, passwordConfirm: PASSWORD });

  it("is off by default and then refused; only an admin switches it", async () => {
    const { deps } = testDeps();
    await db.appSetting.deleteMany({ where: { key: "signupEnabled" } });
    const api = await callerFor(deps, null);
    expect(await api.account.signupEnabled()).toBe(false);
    await expect(api.account.signUp(signup(address()))).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("invitación") });

    const customer = await makeUser("CUSTOMER");
    const agent = await makeUser("AGENT");
    for (const who of [customer, agent]) await expect((await callerFor(deps, who.id)).settings.update({ signupEnabled: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api.settings.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const adminUser = await makeUser("ADMIN");
    const admin = await callerFor(deps, adminUser.id);
    expect(await admin.settings.get()).toMatchObject({ signupEnabled: false });
    expect(await admin.settings.update({ signupEnabled: true })).toMatchObject({ signupEnabled: true });
    // Recorded in the audit log with its before and after; a save that changes nothing records nothing.
    expect(await admin.settings.update({ signupEnabled: true })).toMatchObject({ signupEnabled: true });
    const audit = await db.auditLog.findMany({ where: { actorId: adminUser.id } });
    expect(audit).toMatchObject([{ action: "settings.update", entityType: "setting", before: { signupEnabled: false }, after: { signupEnabled: true } }]);
    expect(await api.account.signupEnabled()).toBe(true);
    expect(await admin.settings.update({ signupEnabled: false })).toMatchObject({ signupEnabled: false });
  });

  it("on: the account exists only once the mailed link is opened with the chosen password; then the password signs in", async () => {
    const { deps } = testDeps();
    await enabled(true);
    const email = address("registro");
    const rl = limits();
    const api = await callerFor(deps, null, { locale: "en", rateLimits: rl });
    expect(await api.account.signUp(signup(email.toUpperCase()))).toEqual({ accepted: true });
    const mail = await vi.waitFor(async () => {
      const [m] = await mailsTo(email, "signup");
      if (!m) throw new Error("not staged yet");
      return m;
    }, WAIT);
    expect(mail.subject).toBe("Activate your Ventanilla Soporte account");
    const token = tokenIn(mail.text, "registro/activar");
    // Not an account yet: no user, and the password opens nothing.
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await authorizeCredentials({ email, password: PASSWORD }, undefined, { db, rateLimits: limits() })).toBeNull();
    expect(JSON.stringify(await db.pendingSignup.findMany({ where: { email } }))).not.toContain(token);

    expect(await api.account.signupStatus({ token })).toEqual({ status: "valid", email });
    // The link alone (a mail scanner, or the address's owner for someone else) opens nothing.
    await expect(api.account.activateSignup({ token, password: "otra-clave-cualquiera" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.user.count({ where: { email } })).toBe(0);

    expect(await api.account.activateSignup({ token, password: PASSWORD })).toEqual({ email });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ role: "CUSTOMER", name: "Nueva Cliente", locale: "en", emailVerified: deps.clock.now() });
    expect(await authorizeCredentials({ email, password: PASSWORD }, undefined, { db, rateLimits: limits() })).toMatchObject({ id: user.id });
    await expect(api.account.activateSignup({ token, password: PASSWORD })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("an existing address gets the same answer, a mail pointing to the password reset, and no second account", async () => {
    const { deps } = testDeps();
    await enabled(true);
    const existing = await userWithPassword();
    const fresh = address("nueva");
    const api = await callerFor(deps, null);
    const a = await api.account.signUp(signup(existing.email));
    const b = await api.account.signUp(signup(fresh));
    expect(a).toEqual(b);
    const mail = await vi.waitFor(async () => {
      const [m] = await mailsTo(existing.email, "signup-existing");
      if (!m) throw new Error("not staged yet");
      return m;
    }, WAIT);
    expect(mail.text).toContain("ya tiene una cuenta");
    expect(mail.text).toContain("http://localhost:3000/recuperar");
    expect(await db.user.count({ where: { email: existing.email } })).toBe(1);
    expect(await db.pendingSignup.count({ where: { email: existing.email } })).toBe(0);
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: existing.id } })).passwordHash, "la-clave-de-antes")).toBe(true);
    await vi.waitFor(async () => expect(await mailsTo(fresh, "signup")).toHaveLength(1), WAIT);
  });

  it("an address that became an account with a password before activation keeps it: no takeover", async () => {
    const { deps } = testDeps();
    await enabled(true);
    const email = address("carrera");
    const started = await processSignup(deps, { name: "X", email, password: PASSWORD, locale: "es" });
    const user = await db.user.create({ data: { email, passwordHash: await hashPassword("la-del-dueno") } });
    await expect(activateSignup(deps, { token: (started as { token: string }).token, password: PASSWORD })).rejects.toMatchObject({ code: "SIGNUP_ACCOUNT_EXISTS" });
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, "la-del-dueno")).toBe(true);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("switched off after a sign-up, the pending link opens nothing", async () => {
    const { deps } = testDeps();
    await enabled(true);
    const email = address("tarde");
    const started = (await processSignup(deps, { name: "X", email, password: PASSWORD, locale: "es" })) as { token: string };
    await enabled(false);
    await expect(activateSignup(deps, { token: started.token, password: PASSWORD })).rejects.toMatchObject({ code: "SIGNUP_DISABLED" });
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("expires after a day, and sign-ups are rate limited like resets", async () => {
    const { deps, clock } = testDeps();
    await enabled(true);
    const email = address("caduca");
    const started = (await processSignup(deps, { name: "X", email, password: PASSWORD, locale: "es" })) as { token: string };
    clock.advance(24 * 3_600_000);
    await expect(activateSignup(deps, { token: started.token, password: PASSWORD })).rejects.toMatchObject({ code: "SIGNUP_LINK_EXPIRED" });

    const rl = limits();
    const target = address("bombardeo");
    for (let i = 0; i < POLICIES.accountMailAddress.points; i++) {
      const { done } = await requestSignup(deps, signup(target), { limits: rl, ip: `192.0.2.${i}`, locale: "es" });
      await done;
    }
    await expect(requestSignup(deps, signup(target), { limits: rl, ip: "192.0.2.99", locale: "es" })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // Each request replaced the one before: one pending sign-up, one working link.
    expect(await db.pendingSignup.count({ where: { email: target, usedAt: null } })).toBe(1);
  });
});

describe("Facebook endpoints (a stand-in for the tests, self-hosted setups)", () => {
  const base = { NEXTAUTH_SECRET: env.NEXTAUTH_SECRET, NODE_ENV: "test" };
  const urls = { FACEBOOK_AUTHORIZATION_URL: "http://127.0.0.1:9/dialog/oauth", FACEBOOK_TOKEN_URL: "http://127.0.0.1:9/oauth/access_token", FACEBOOK_USERINFO_URL: "http://127.0.0.1:9/me" };

  it("are all three or none, and must be URLs", () => {
    const none = parseEnv(base).env!;
    expect([none.FACEBOOK_AUTHORIZATION_URL, none.FACEBOOK_TOKEN_URL, none.FACEBOOK_USERINFO_URL]).toEqual([undefined, undefined, undefined]);
    expect(parseEnv({ ...base, ...urls }).env).toMatchObject(urls);
    const half = parseEnv({ ...base, FACEBOOK_AUTHORIZATION_URL: urls.FACEBOOK_AUTHORIZATION_URL });
    expect(half.problems).toEqual([
      expect.stringMatching(/^FACEBOOK_TOKEN_URL unset while FACEBOOK_AUTHORIZATION_URL is set/),
      expect.stringMatching(/^FACEBOOK_USERINFO_URL unset while FACEBOOK_AUTHORIZATION_URL is set/),
    ]);
    expect(parseEnv({ ...base, ...urls, FACEBOOK_TOKEN_URL: "no es una url" }).problems?.[0]).toMatch(/^FACEBOOK_TOKEN_URL /);
  });
});
