import { z } from "zod";
import { clientIpFromHeaders } from "~/server/http/client-ip";
import type { Deps } from "~/server/modules/deps";
import { hashedKey, limitFailures, RateLimitedError } from "~/server/modules/security/rate-limit";
import { verifyPassword } from "./password";

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1024) });

/** The error next-auth hands the login form (`signIn(...).error`) when a budget is used up. */
export const RATE_LIMITED_PREFIX = "RATE_LIMITED:";
/** …and when the right password names a person an admin deactivated (/admin/personas). */
export const ACCOUNT_DEACTIVATED = "ACCOUNT_DEACTIVATED";

export type CredentialsDeps = Pick<Deps, "db" | "rateLimits">;

/** What next-auth v4 passes `authorize` as its second argument (only the headers are used). */
export interface AuthorizeRequest {
  headers?: Record<string, unknown>;
}

/**
 * next-auth's CredentialsProvider `authorize`: email + password against the stored Argon2 hash,
 * within the login budgets (POLICIES.loginAccount per address, POLICIES.loginIp per client address).
 * A locked account or address is refused before any hashing, even with the right password, by
 * throwing `RATE_LIMITED:<seconds>` (next-auth passes the message on; the login form localizes it).
 * A correct password clears the account's failures.
 */
export async function authorizeCredentials(
  raw: unknown,
  req: AuthorizeRequest | undefined,
  deps: CredentialsDeps,
): Promise<{ id: string; email: string; name: string | null; authTime: number } | null> {
  const parsed = credentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  // When this sign-in began: the session starts here, before the password is read (see options.ts).
  const authTime = Date.now();
  try {
    return await limitFailures(
      [
        { limiter: deps.rateLimits.loginAccount, key: hashedKey(email), onSuccess: "reset" },
        // Refunded on success, never reset: one account of one's own must not wipe a spraying address clean.
        { limiter: deps.rateLimits.loginIp, key: clientIpFromHeaders(req?.headers), onSuccess: "refund" },
      ],
      async () => {
        const user = await deps.db.user.findUnique({ where: { email } });
        const ok = await verifyPassword(user?.passwordHash, password);
        // Said only to whoever knows the password: to anyone else a deactivated account is a wrong password.
        if (ok && user?.deactivatedAt) throw new Error(ACCOUNT_DEACTIVATED);
        return ok && user ? { id: user.id, email: user.email, name: user.name, authTime } : null;
      },
      (outcome) => outcome.ok && outcome.value === null,
    );
  } catch (err) {
    if (err instanceof RateLimitedError) throw new Error(`${RATE_LIMITED_PREFIX}${err.retryAfterSec}`);
    throw err;
  }
}
