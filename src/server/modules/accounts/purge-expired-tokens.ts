import type { Deps } from "../deps";

/** Kept a day past expiry, so a late click still gets "this link has expired" rather than "unknown". */
export const EXPIRED_TOKEN_GRACE_MS = 24 * 3600_000;

/**
 * Deletes password-reset tokens and pending sign-ups whose links expired more than a day ago (used or
 * not): only hashes, of no use once expired, which would otherwise pile up forever. Run by the
 * workers' periodic storage sweep.
 */
export async function purgeExpiredAccountTokens(deps: Pick<Deps, "db" | "clock">): Promise<{ passwordResets: number; pendingSignups: number }> {
  const before = new Date(deps.clock.now().getTime() - EXPIRED_TOKEN_GRACE_MS);
  const [resets, signups] = await deps.db.$transaction([
    deps.db.passwordResetToken.deleteMany({ where: { expiresAt: { lt: before } } }),
    deps.db.pendingSignup.deleteMany({ where: { expiresAt: { lt: before } } }),
  ]);
  return { passwordResets: resets.count, pendingSignups: signups.count };
}
