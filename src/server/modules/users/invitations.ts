import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { isLocale } from "~/i18n";
import { hashPassword } from "~/server/auth/password";
import { AppError } from "~/server/errors";
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "~/shared/enums";
import type { Deps } from "../deps";
import { newId } from "~/server/db/sql";
import { mailDomain, stageEmail, type StagedEmail, type Tx } from "../notifications/outbox";
import { invitationEmail } from "../notifications/templates";
import { limitFailures, type LimitedKey, type RateLimits } from "../security/rate-limit";

/** How long an invitation link stays valid. */
export const INVITATION_TTL_DAYS = 7;

/** Only this hash is stored: a leaked database does not hand out working links. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface InvitedUser {
  id: string;
  email: string;
  name: string | null;
  locale: string;
}

export interface StagedInvitation {
  invitationId: string;
  /** The staged OutboundEmail: the caller adds it to its domain event's emailIds. */
  emailId: string;
  /** The secret of the link (only in the mail, never stored). */
  token: string;
}

/** A new invitation and its mail, not yet stored: its secret goes only into the mail's link. */
export function draftInvitation(deps: Pick<Deps, "clock" | "mail">, user: InvitedUser, opts: { ttlDays?: number; id?: string; staffRole?: "AGENT" | "ADMIN" } = {}) {
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  const days = opts.ttlDays ?? INVITATION_TTL_DAYS;
  const id = opts.id ?? newId();
  const invitation = { id, userId: user.id, tokenHash: hashInvitationToken(token), expiresAt: new Date(now.getTime() + days * 86_400_000), createdAt: now };
  const rendered = invitationEmail({
    locale: isLocale(user.locale) ? user.locale : (deps.mail.defaultLocale ?? "es"),
    name: user.name ?? user.email,
    url: `${deps.mail.publicUrl}/invitacion/${token}`,
    days,
    team: deps.mail.team,
    staffRole: opts.staffRole,
    templates: deps.mail.templates,
  });
  const email: StagedEmail = {
    ...rendered,
    dedupeKey: `invitation:${id}`,
    kind: "invitation",
    to: user.email,
    ticketId: null,
    messageId: `<invitation-${id}@${mailDomain(deps.mail.fromAddress)}>`,
  };
  return { invitation, email, token };
}

/**
 * Creates a single-use, expiring invitation to the portal and stages its mail, inside the caller's
 * transaction (so a rolled-back ticket leaves neither an invitation nor a mail behind).
 */
export async function stageInvitation(deps: Deps, tx: Tx, user: InvitedUser, opts: { ttlDays?: number; staffRole?: "AGENT" | "ADMIN" } = {}): Promise<StagedInvitation> {
  const { invitation, email, token } = draftInvitation(deps, user, opts);
  await tx.invitation.create({ data: invitation, select: { id: true } });
  const emailId = await stageEmail(tx, email);
  return { invitationId: invitation.id, emailId, token };
}

const tokenSchema = z.string().min(1).max(256);

export type InvitationStatus = "valid" | "used" | "expired" | "invalid";

type InvitationRow = { userId: string; expiresAt: Date; usedAt: Date | null } | null;

function statusOf(row: InvitationRow, now: Date): InvitationStatus {
  if (!row) return "invalid";
  if (row.usedAt) return "used";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/** Who presents a link, for its failure budgets (POLICIES.secretLinkIp, POLICIES.secretLinkToken). */
export interface LinkAttempt {
  limits: Pick<RateLimits, "secretLinkIp" | "secretLinkToken">;
  ip: string;
}

/**
 * Unknown links count against the presenting address (guessing); every use of one link counts
 * against that link, by a prefix of its hash (the Argon2 work a link can cause). The API always
 * passes an attempt; code given a token by the system itself (tests, the seed) may omit it.
 */
function linkKeys(attempt: LinkAttempt, token: string): LimitedKey[] {
  return [
    { limiter: attempt.limits.secretLinkIp, key: attempt.ip, onSuccess: "refund" },
    { limiter: attempt.limits.secretLinkToken, key: hashInvitationToken(token).slice(0, 16), onSuccess: "keep" },
  ];
}

const errorFor = { invalid: "INVITATION_INVALID", used: "INVITATION_USED", expired: "INVITATION_EXPIRED" } as const;

/**
 * What the invitation page needs: whether the link works and, only if it does, for which address
 * (the holder of a valid link is the invitee). Nothing else about the user is revealed.
 */
export async function getInvitation(
  deps: Pick<Deps, "db" | "clock">,
  token: string,
  attempt?: LinkAttempt,
): Promise<{ status: InvitationStatus; valid: boolean; email: string | null }> {
  if (attempt) return limitFailures(linkKeys(attempt, token), () => getInvitation(deps, token), (o) => o.ok && o.value.status === "invalid");
  const parsed = tokenSchema.safeParse(token);
  const row = parsed.success
    ? await deps.db.invitation.findUnique({
        where: { tokenHash: hashInvitationToken(parsed.data) },
        select: { userId: true, expiresAt: true, usedAt: true, user: { select: { email: true } } },
      })
    : null;
  const status = statusOf(row, deps.clock.now());
  return { status, valid: status === "valid", email: status === "valid" ? row!.user.email : null };
}

export const acceptInvitationInput = z
  .strictObject({
    token: tokenSchema,
    password: z.string().min(PASSWORD_MIN, "PASSWORD_TOO_SHORT").max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
    passwordConfirm: z.string().max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
    name: z.string().trim().max(NAME_MAX, "NAME_TOO_LONG").optional(),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "PASSWORD_MISMATCH", path: ["passwordConfirm"] });
export type AcceptInvitationInput = z.input<typeof acceptInvitationInput>;

/**
 * Sets the invitee's password (typed twice) and, optionally, their name. The link is claimed with
 * one conditional UPDATE (unused and unexpired), so of two simultaneous submits exactly one wins;
 * every other link sent to the same user stops working too. Returns the address to sign in with.
 */
export async function acceptInvitation(deps: Pick<Deps, "db" | "clock">, raw: AcceptInvitationInput, attempt?: LinkAttempt): Promise<{ email: string; staff: boolean }> {
  if (attempt) {
    const unknown = (o: { ok: boolean; error?: unknown }) => !o.ok && o.error instanceof AppError && o.error.code === "INVITATION_INVALID";
    return limitFailures(linkKeys(attempt, String(raw.token)), () => acceptInvitation(deps, raw), unknown);
  }
  const input = acceptInvitationInput.parse(raw);
  const tokenHash = hashInvitationToken(input.token);
  const select = { userId: true, expiresAt: true, usedAt: true } as const;
  // A dead link fails at once, before the (deliberately slow) password hashing.
  const early = statusOf(await deps.db.invitation.findUnique({ where: { tokenHash }, select }), deps.clock.now());
  if (early !== "valid") throw new AppError(errorFor[early]);
  const passwordHash = await hashPassword(input.password);

  return deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    const claimed = await tx.invitation.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    const row = await tx.invitation.findUnique({ where: { tokenHash }, select });
    if (claimed.count !== 1 || !row) {
      const status = statusOf(row, now);
      throw new AppError(errorFor[status === "valid" ? "used" : status]);
    }
    await tx.invitation.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
    const user = await tx.user.update({
      where: { id: row.userId },
      data: { passwordHash, emailVerified: now, ...(input.name ? { name: input.name } : {}) },
      select: { email: true, role: true },
    });
    // Staff invited from /admin/personas land in the agent area rather than the portal.
    return { email: user.email, staff: user.role !== "CUSTOMER" };
  });
}
