import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import { API_TOKEN_EXPIRY_DAYS, API_TOKEN_NAME_MAX } from "~/shared/api-tokens";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";

/** What every token starts with: recognizable in a leaked file or a secret scanner's rules. */
export const TOKEN_PREFIX = "vnt_";
/** Characters of the token kept to show it in lists: the prefix and 8 of its 43 random ones. */
const SHOWN_CHARS = TOKEN_PREFIX.length + 8;

/** A random 256-bit secret needs no slow hash: SHA-256 cannot be reversed and lookups stay one index probe. */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

function newSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

const tokenFields = {
  name: z.string().trim().min(1, "NAME_REQUIRED").max(API_TOKEN_NAME_MAX, "NAME_TOO_LONG"),
  scope: z.enum(["READ", "WRITE"]),
  /** Days until it stops working; null: until revoked. */
  expiresInDays: z
    .number()
    .int()
    .refine((d) => (API_TOKEN_EXPIRY_DAYS as readonly number[]).includes(d))
    .nullable(),
};

export const createTokenInput = z.strictObject(tokenFields);
export const createServiceTokenInput = z.strictObject({ ...tokenFields, userId: z.string().min(1).max(64) });
export const tokenIdInput = z.strictObject({ id: z.string().min(1).max(64) });

/** What lists show of a token: never its secret nor its hash. */
const LISTED = {
  id: true,
  name: true,
  kind: true,
  scope: true,
  prefix: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  createdAt: true,
  user: { select: { id: true, name: true, email: true } },
  createdBy: { select: { id: true, name: true, email: true } },
} as const;

async function issue(
  deps: Deps,
  actor: Actor,
  input: z.output<typeof createTokenInput>,
  kind: "PERSONAL" | "SERVICE",
  userId: string,
): Promise<{ id: string; secret: string }> {
  const secret = newSecret();
  const now = deps.clock.now();
  const expiresAt = input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const token = await deps.db.$transaction(async (tx) => {
    const made = await tx.apiToken.create({
      data: { name: input.name, kind, scope: input.scope, userId, createdById: actor.id, prefix: secret.slice(0, SHOWN_CHARS), secretHash: hashToken(secret), expiresAt, createdAt: now },
      select: { id: true, prefix: true },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "apiToken.create",
      entityType: "apiToken",
      entityId: made.id,
      after: { name: input.name, kind, scope: input.scope, userId, prefix: made.prefix, expiresAt },
    });
    return made;
  });
  return { id: token.id, secret };
}

/** An agent or admin makes a token acting as themselves; customers hold none. The secret is returned once. */
export async function createPersonalToken(deps: Deps, actor: Actor, raw: z.input<typeof createTokenInput>) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  return issue(deps, actor, createTokenInput.parse(raw), "PERSONAL", actor.id);
}

/** Admin only: a token acting as another staff member (the integration's own account, e.g. "CRM"). */
export async function createServiceToken(deps: Deps, actor: Actor, raw: z.input<typeof createServiceTokenInput>) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
  const { userId, ...input } = createServiceTokenInput.parse(raw);
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!user || !isStaff(user.role)) throw new AppError("API_TOKEN_USER_INVALID");
  return issue(deps, actor, input, "SERVICE", userId);
}

/** The actor's own personal tokens, newest first. */
export function listMyTokens(deps: Deps, actor: Actor) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  return deps.db.apiToken.findMany({ where: { userId: actor.id, kind: "PERSONAL" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: LISTED, take: 200 });
}

/** Admin: every token (service and personal), newest first. */
export function listAllTokens(deps: Deps, actor: Actor) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
  return deps.db.apiToken.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: LISTED, take: 500 });
}

/**
 * Revokes at once (the next request with it is refused). Its owner may revoke a personal token; an
 * admin any. Revoking twice changes nothing and records nothing.
 */
export async function revokeToken(deps: Deps, actor: Actor, raw: z.input<typeof tokenIdInput>) {
  const { id } = tokenIdInput.parse(raw);
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({ where: { id }, select: { id: true, userId: true, kind: true, revokedAt: true, name: true, prefix: true } });
    const mine = token && token.kind === "PERSONAL" && token.userId === actor.id;
    if (!token || (!mine && actor.role !== "ADMIN")) throw new AppError("API_TOKEN_NOT_FOUND");
    if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt };
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    if (count) {
      await recordAudit(tx, { actorId: actor.id, action: "apiToken.revoke", entityType: "apiToken", entityId: id, before: { revokedAt: null }, after: { name: token.name, prefix: token.prefix, revokedAt: now } });
    }
    return { id: token.id, revokedAt: now };
  });
}
