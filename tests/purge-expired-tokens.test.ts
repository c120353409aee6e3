import { describe, expect, it } from "vitest";
import { fixedClock } from "~/server/clock";
import { purgeExpiredAccountTokens } from "~/server/modules/accounts/purge-expired-tokens";
import { db, makeUser } from "./support/fixtures";
import { uniq } from "./support/uniq";

describe("purging expired account tokens", () => {
  it("deletes reset tokens and pending sign-ups a day past expiry, used or not, and keeps the rest", async () => {
    // Long before any other test file's tokens, so a parallel file's rows are never purged here.
    const clock = fixedClock(new Date("2025-06-01T12:00:00Z"));
    const user = await makeUser("CUSTOMER");
    const at = (iso: string) => new Date(iso);
    const reset = (expiresAt: Date, usedAt: Date | null = null) =>
      db.passwordResetToken.create({ data: { userId: user.id, tokenHash: `h-${uniq()}`, expiresAt, usedAt } });
    const signup = (expiresAt: Date) =>
      db.pendingSignup.create({ data: { email: `p-${uniq()}@example.test`, name: "P", passwordHash: "x", tokenHash: `h-${uniq()}`, expiresAt } });

    const old = await reset(at("2025-05-30T12:00:00Z"));
    const oldUsed = await reset(at("2025-05-30T12:00:00Z"), at("2025-05-30T11:00:00Z"));
    const withinGrace = await reset(at("2025-05-31T13:00:00Z"));
    const live = await reset(at("2025-06-01T13:00:00Z"));
    const oldSignup = await signup(at("2025-05-01T00:00:00Z"));
    const liveSignup = await signup(at("2025-06-02T00:00:00Z"));

    const purged = await purgeExpiredAccountTokens({ db, clock });
    expect(purged.passwordResets).toBeGreaterThanOrEqual(2);
    expect(purged.pendingSignups).toBeGreaterThanOrEqual(1);
    const resets = await db.passwordResetToken.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(resets.map((r) => r.id).sort()).toEqual([withinGrace.id, live.id].sort());
    expect(resets.map((r) => r.id)).not.toContain(old.id);
    expect(resets.map((r) => r.id)).not.toContain(oldUsed.id);
    const signups = await db.pendingSignup.findMany({ where: { id: { in: [oldSignup.id, liveSignup.id] } }, select: { id: true } });
    expect(signups).toEqual([{ id: liveSignup.id }]);
  });
});
