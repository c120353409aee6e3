import { z } from "zod";
import { env } from "~/env";
import { db as defaultDb, type Db } from "~/server/db/client";
import { clientIpFromHeaders } from "~/server/http/client-ip";
import { createRateLimits, hashedKey, limitFailures, RateLimitedError, type RateLimits } from "~/server/modules/security/rate-limit";
import { createRedis } from "~/server/redis";
import { verifyPassword } from "./password";

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1024) });

/** The error next-auth hands the login form (`signIn(...).error`) when a budget is used up. */
export const RATE_LIMITED_PREFIX = "RATE_LIMITED:";

export interface CredentialsDeps {
  db: Db;
  limits: Pick<RateLimits, "loginAccount" | "loginIp">;
}

// next-auth's route runs inside Next's bundle, which may load this module more than once: one
// Redis connection for all copies.
const DEFAULTS = Symbol.for("ventanilla.credentialsDeps");
function defaultDeps(): CredentialsDeps {
  const g = globalThis as { [DEFAULTS]?: CredentialsDeps };
  return (g[DEFAULTS] ??= { db: defaultDb, limits: createRateLimits(createRedis("producer", env.REDIS_URL), env.REDIS_PREFIX) });
}

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
  req?: AuthorizeRequest,
  deps: CredentialsDeps = defaultDeps(),
): Promise<{ id: string; email: string; name: string | null; authTime: number } | null> {
  const parsed = credentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  // When this sign-in began: the session starts here, before the password is read (see options.ts).
  const authTime = Date.now();
  try {
    return await limitFailures(
      [
        { limiter: deps.limits.loginAccount, key: hashedKey(email), onSuccess: "reset" },
        // Refunded on success, never reset: one account of one's own must not wipe a spraying address clean.
        { limiter: deps.limits.loginIp, key: clientIpFromHeaders(req?.headers), onSuccess: "refund" },
      ],
      async () => {
        const user = await deps.db.user.findUnique({ where: { email } });
        const ok = await verifyPassword(user?.passwordHash, password);
        return ok && user ? { id: user.id, email: user.email, name: user.name, authTime } : null;
      },
      (outcome) => outcome.ok && outcome.value === null,
    );
  } catch (err) {
    if (err instanceof RateLimitedError) throw new Error(`${RATE_LIMITED_PREFIX}${err.retryAfterSec}`);
    throw err;
  }
}
