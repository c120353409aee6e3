import { z } from "zod";
import { isLocale } from "~/i18n";
import { hashPassword } from "~/server/auth/password";
import { newId } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/shared/enums";
import type { Deps } from "../deps";
import { mailDomain, stageEmail } from "../notifications/outbox";
import { limitFailures } from "../security/rate-limit";
import { passwordResetEmail } from "./mail-templates";
import { afterAnswer } from "./after-answer";
import { emailSchema, hashLinkToken, linkKeys, linkTokenSchema, mailRequestKeys, newLinkToken, type LinkAttempt, type MailRequest } from "./tokens";

/*
 * "¿Olvidó su contraseña?": a mailed, single-use, expiring link to choose a new password. Staff
 * and customers alike, and users who so far only signed in with Google or Facebook (or never had a
 * password: known from a phone ticket) may set one this way: holding the mailbox is the proof.
 */

/** How long a reset link stays valid. */
export const RESET_TTL_MINUTES = 60;

export const requestPasswordResetInput = z.strictObject({ email: emailSchema });
export type RequestPasswordResetInput = z.input<typeof requestPasswordResetInput>;

/**
 * Takes a request. Whether the address has an account changes nothing the caller sees, neither the
 * answer nor its timing: the request is counted against the address and the client (both budgets
 * spent for known and unknown addresses alike) and answered; looking the address up, writing the
 * token and staging the mail happen afterwards, in `done` (the API does not wait for it; tests do).
 */
export async function requestPasswordReset(deps: Deps, raw: RequestPasswordResetInput, req: MailRequest): Promise<{ done: Promise<void> }> {
  const { email } = requestPasswordResetInput.parse(raw);
  await limitFailures(mailRequestKeys(req, email), async () => undefined, () => true);
  return { done: afterAnswer(() => sendPasswordReset(deps, email)).then(() => undefined) };
}

/** The work behind a request: for a known address, a new link (voiding the older ones) and its mail. */
export async function sendPasswordReset(deps: Deps, email: string): Promise<{ token: string } | null> {
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, locale: true } });
  if (!user) return null;
  const { token, tokenHash } = newLinkToken();
  const id = newId();
  const emailId = await deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    // One request at a time per user, so of two simultaneous requests the later one's link is the only one left.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${user.id} FOR UPDATE`;
    await tx.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null, supersededAt: null }, data: { supersededAt: now } });
    await tx.passwordResetToken.create({ data: { id, userId: user.id, tokenHash, expiresAt: new Date(now.getTime() + RESET_TTL_MINUTES * 60_000), createdAt: now }, select: { id: true } });
    const rendered = passwordResetEmail({
      locale: isLocale(user.locale) ? user.locale : (deps.mail.defaultLocale ?? "es"),
      name: user.name ?? user.email,
      // PUBLIC_URL, from the settings: never the Host header of the request that asked.
      url: `${deps.mail.publicUrl}/restablecer/${token}`,
      minutes: RESET_TTL_MINUTES,
      team: deps.mail.team,
      templates: deps.mail.templates,
    });
    return stageEmail(tx, {
      ...rendered,
      dedupeKey: `password-reset:${id}`,
      kind: "password-reset",
      to: user.email,
      ticketId: null,
      messageId: `<password-reset-${id}@${mailDomain(deps.mail.fromAddress)}>`,
    });
  });
  // After commit; should this fail, the outbox reconciler sends the staged mail.
  await deps.queues.enqueueEmails([emailId]);
  return { token };
}

export type ResetLinkStatus = "valid" | "used" | "expired" | "superseded" | "invalid";

type ResetRow = { userId: string; expiresAt: Date; usedAt: Date | null; supersededAt: Date | null } | null;

function statusOf(row: ResetRow, now: Date): ResetLinkStatus {
  if (!row) return "invalid";
  if (row.usedAt) return "used";
  if (row.supersededAt) return "superseded";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

const errorFor = { invalid: "RESET_LINK_INVALID", used: "RESET_LINK_USED", expired: "RESET_LINK_EXPIRED", superseded: "RESET_LINK_SUPERSEDED" } as const;
const select = { userId: true, expiresAt: true, usedAt: true, supersededAt: true } as const;

/** What the reset page needs: whether the link works and, only if it does, for which address. */
export async function getPasswordReset(deps: Pick<Deps, "db" | "clock">, token: string, attempt?: LinkAttempt): Promise<{ status: ResetLinkStatus; email: string | null }> {
  if (attempt) return limitFailures(linkKeys(attempt, token), () => getPasswordReset(deps, token), (o) => o.ok && o.value.status === "invalid");
  const parsed = linkTokenSchema.safeParse(token);
  const row = parsed.success
    ? await deps.db.passwordResetToken.findUnique({ where: { tokenHash: hashLinkToken(parsed.data) }, select: { ...select, user: { select: { email: true } } } })
    : null;
  const status = statusOf(row, deps.clock.now());
  return { status, email: status === "valid" ? row!.user.email : null };
}

export const resetPasswordInput = z
  .strictObject({
    token: linkTokenSchema,
    password: z.string().min(PASSWORD_MIN, "PASSWORD_TOO_SHORT").max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
    passwordConfirm: z.string().max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "PASSWORD_MISMATCH", path: ["passwordConfirm"] });
export type ResetPasswordInput = z.input<typeof resetPasswordInput>;

/**
 * Sets the new password. The link is claimed by one conditional UPDATE (unused, not superseded,
 * unexpired), so of two simultaneous submits exactly one wins. Then, in the same transaction: every
 * other reset link and unused invitation of the user stops working, the address counts as verified
 * (the mail reached it), and every session begun before now ends (sessionsValidAfter).
 */
export async function resetPassword(deps: Pick<Deps, "db" | "clock">, raw: ResetPasswordInput, attempt?: LinkAttempt): Promise<{ email: string }> {
  if (attempt) {
    const unknown = (o: { ok: boolean; error?: unknown }) => !o.ok && o.error instanceof AppError && o.error.code === "RESET_LINK_INVALID";
    return limitFailures(linkKeys(attempt, String(raw.token)), () => resetPassword(deps, raw), unknown);
  }
  const input = resetPasswordInput.parse(raw);
  const tokenHash = hashLinkToken(input.token);
  // A dead link fails at once, before the (deliberately slow) password hashing.
  const early = statusOf(await deps.db.passwordResetToken.findUnique({ where: { tokenHash }, select }), deps.clock.now());
  if (early !== "valid") throw new AppError(errorFor[early]);
  const passwordHash = await hashPassword(input.password);

  return deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    const claimed = await tx.passwordResetToken.updateMany({ where: { tokenHash, usedAt: null, supersededAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    const row = await tx.passwordResetToken.findUnique({ where: { tokenHash }, select });
    if (claimed.count !== 1 || !row) {
      const status = statusOf(row, now);
      throw new AppError(errorFor[status === "valid" ? "used" : status]);
    }
    await tx.passwordResetToken.updateMany({ where: { userId: row.userId, usedAt: null, supersededAt: null }, data: { supersededAt: now } });
    await tx.invitation.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
    const before = await tx.user.findUniqueOrThrow({ where: { id: row.userId }, select: { emailVerified: true } });
    const user = await tx.user.update({
      where: { id: row.userId },
      data: { passwordHash, emailVerified: before.emailVerified ?? now, sessionsValidAfter: now },
      select: { email: true },
    });
    return { email: user.email };
  });
}
