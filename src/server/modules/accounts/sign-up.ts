import { z } from "zod";
import { isLocale, type Locale } from "~/i18n";
import { hashPassword, verifyPassword } from "~/server/auth/password";
import { newId } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "~/shared/enums";
import type { Deps } from "../deps";
import { mailDomain, stageEmail } from "../notifications/outbox";
import { limitFailures } from "../security/rate-limit";
import { getSetting } from "../settings/app-settings";
import { afterAnswer } from "./after-answer";
import { signupExistingEmail, signupVerificationEmail } from "./mail-templates";
import { emailSchema, hashLinkToken, linkKeys, linkTokenSchema, mailRequestKeys, newLinkToken, type LinkAttempt, type MailRequest } from "./tokens";

/*
 * Self sign-up (/registro), when an admin has switched it on (AppSetting signupEnabled; off by
 * default). No User exists until the address is verified: the request is kept as a PendingSignup
 * (password already hashed) and the mailed link creates the account. Whoever registers someone
 * else's address gets nothing: the activation asks again for the password chosen at sign-up, so the
 * owner opening the link (or a mail scanner fetching it) does not hand the address to the registrant
 * either. An address that already has an account gets the same answer, and a mail saying so with
 * the way to its password, never a second account.
 */

export const SIGNUP_TTL_HOURS = 24;

export const signUpInput = z
  .strictObject({
    name: z.string().trim().min(1, "NAME_REQUIRED").max(NAME_MAX, "NAME_TOO_LONG"),
    email: emailSchema,
    password: z.string().min(PASSWORD_MIN, "PASSWORD_TOO_SHORT").max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
    passwordConfirm: z.string().max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "PASSWORD_MISMATCH", path: ["passwordConfirm"] });
export type SignUpInput = z.input<typeof signUpInput>;

async function requireSignupEnabled(deps: Pick<Deps, "db">) {
  if (!(await getSetting(deps, "signupEnabled"))) throw new AppError("SIGNUP_DISABLED");
}

/**
 * Takes a sign-up. The answer (and its timing) is the same for a new and a known address: the
 * request is counted (per address and per client) and answered; hashing the password, looking the
 * address up and staging the right mail happen in `done`, after the answer.
 */
export async function requestSignup(deps: Deps, raw: SignUpInput, req: MailRequest & { locale: Locale }): Promise<{ done: Promise<void> }> {
  await requireSignupEnabled(deps);
  const input = signUpInput.parse(raw);
  await limitFailures(mailRequestKeys(req, input.email), async () => undefined, () => true);
  return { done: afterAnswer(() => processSignup(deps, { name: input.name, email: input.email, password: input.password, locale: req.locale })).then(() => undefined) };
}

/** The work behind a sign-up: the activation mail (and its pending row), or the "you already have an account" mail. */
export async function processSignup(deps: Deps, s: { name: string; email: string; password: string; locale: Locale }): Promise<{ token: string } | { existing: true }> {
  const domain = mailDomain(deps.mail.fromAddress);
  const id = newId();
  const known = await deps.db.user.findUnique({ where: { email: s.email }, select: { locale: true, role: true, passwordHash: true, _count: { select: { accounts: true } } } });
  // A row with no way to sign in (a guest's, a mail or phone requester's) is no account yet: its owner
  // signs up like anyone, and the mailed link (proof of the mailbox) gives that row its password and
  // with it the tickets already opened in its name (activateSignup). Nothing is granted before.
  const passwordless = known && known.role === "CUSTOMER" && !known.passwordHash && known._count.accounts === 0;
  const existing = passwordless ? null : known;
  if (existing) {
    const rendered = signupExistingEmail({ locale: isLocale(existing.locale) ? existing.locale : s.locale, url: `${deps.mail.publicUrl}/recuperar`, team: deps.mail.team, templates: deps.mail.templates });
    const emailId = await deps.db.$transaction((tx) =>
      stageEmail(tx, { ...rendered, dedupeKey: `signup-existing:${id}`, kind: "signup-existing", to: s.email, ticketId: null, messageId: `<signup-existing-${id}@${domain}>` }),
    );
    await deps.queues.enqueueEmails([emailId]);
    return { existing: true };
  }
  const passwordHash = await hashPassword(s.password);
  const { token, tokenHash } = newLinkToken();
  const emailId = await deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    // A newer sign-up for the address replaces any still pending.
    await tx.pendingSignup.deleteMany({ where: { email: s.email, usedAt: null } });
    await tx.pendingSignup.create({
      data: { id, email: s.email, name: s.name, passwordHash, locale: s.locale, tokenHash, expiresAt: new Date(now.getTime() + SIGNUP_TTL_HOURS * 3_600_000), createdAt: now },
      select: { id: true },
    });
    const rendered = signupVerificationEmail({ locale: s.locale, name: s.name, url: `${deps.mail.publicUrl}/registro/activar/${token}`, hours: SIGNUP_TTL_HOURS, team: deps.mail.team, templates: deps.mail.templates });
    return stageEmail(tx, { ...rendered, dedupeKey: `signup:${id}`, kind: "signup", to: s.email, ticketId: null, messageId: `<signup-${id}@${domain}>` });
  });
  await deps.queues.enqueueEmails([emailId]);
  return { token };
}

export type SignupLinkStatus = "valid" | "used" | "expired" | "invalid";
type PendingRow = { email: string; expiresAt: Date; usedAt: Date | null } | null;

function statusOf(row: PendingRow, now: Date): SignupLinkStatus {
  if (!row) return "invalid";
  if (row.usedAt) return "used";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

const errorFor = { invalid: "SIGNUP_LINK_INVALID", used: "SIGNUP_LINK_USED", expired: "SIGNUP_LINK_EXPIRED" } as const;

/** What the activation page needs: whether the link works and, if it does, for which address. */
export async function getSignup(deps: Pick<Deps, "db" | "clock">, token: string, attempt?: LinkAttempt): Promise<{ status: SignupLinkStatus; email: string | null }> {
  if (attempt) return limitFailures(linkKeys(attempt, token), () => getSignup(deps, token), (o) => o.ok && o.value.status === "invalid");
  const parsed = linkTokenSchema.safeParse(token);
  const row = parsed.success
    ? await deps.db.pendingSignup.findUnique({ where: { tokenHash: hashLinkToken(parsed.data) }, select: { email: true, expiresAt: true, usedAt: true } })
    : null;
  const status = statusOf(row, deps.clock.now());
  return { status, email: status === "valid" ? row!.email : null };
}

export const activateSignupInput = z.strictObject({ token: linkTokenSchema, password: z.string().min(1, "PASSWORD_TOO_SHORT").max(PASSWORD_MAX, "PASSWORD_TOO_LONG") });
export type ActivateSignupInput = z.input<typeof activateSignupInput>;

/**
 * Opens the account: the link plus the password chosen at sign-up. Creates the customer, verified;
 * if the address became a user meanwhile (a mail or phone ticket) without a password, that user gets
 * this one; one with a password of its own is left alone (SIGNUP_ACCOUNT_EXISTS). Returns the
 * address to sign in with.
 */
export async function activateSignup(deps: Pick<Deps, "db" | "clock">, raw: ActivateSignupInput, attempt?: LinkAttempt): Promise<{ email: string }> {
  if (attempt) {
    const guessed = (o: { ok: boolean; error?: unknown }) => !o.ok && o.error instanceof AppError && (o.error.code === "SIGNUP_LINK_INVALID" || o.error.code === "SIGNUP_PASSWORD_WRONG");
    return limitFailures(linkKeys(attempt, String(raw.token)), () => activateSignup(deps, raw), guessed);
  }
  await requireSignupEnabled(deps);
  const input = activateSignupInput.parse(raw);
  const tokenHash = hashLinkToken(input.token);
  const pending = await deps.db.pendingSignup.findUnique({ where: { tokenHash } });
  const early = statusOf(pending, deps.clock.now());
  if (early !== "valid") throw new AppError(errorFor[early]);
  if (!pending) throw new AppError("SIGNUP_LINK_INVALID");
  if (!(await verifyPassword(pending.passwordHash, input.password))) throw new AppError("SIGNUP_PASSWORD_WRONG");

  return deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    const claimed = await tx.pendingSignup.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) {
      const status = statusOf(await tx.pendingSignup.findUnique({ where: { tokenHash }, select: { email: true, expiresAt: true, usedAt: true } }), now);
      throw new AppError(errorFor[status === "valid" ? "used" : status]);
    }
    // Serializes with any other path creating this address (a mail, a second activation).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`user-email:${pending.email}`}))`;
    const existing = await tx.user.findUnique({ where: { email: pending.email }, select: { id: true, passwordHash: true, role: true, emailVerified: true } });
    if (existing) {
      if (existing.passwordHash || existing.role !== "CUSTOMER") throw new AppError("SIGNUP_ACCOUNT_EXISTS");
      await tx.user.update({ where: { id: existing.id }, data: { passwordHash: pending.passwordHash, emailVerified: existing.emailVerified ?? now } });
    } else {
      await tx.user.create({
        data: { email: pending.email, name: pending.name, passwordHash: pending.passwordHash, locale: pending.locale, role: "CUSTOMER", emailVerified: now },
        select: { id: true },
      });
    }
    await tx.pendingSignup.deleteMany({ where: { email: pending.email, usedAt: null } });
    return { email: pending.email };
  });
}
