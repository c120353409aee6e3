import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { LimitedKey, RateLimits } from "../security/rate-limit";
import { hashedKey } from "../security/rate-limit";

/** A link's secret: 32 random bytes, base64url; only its SHA-256 is ever stored. */
export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export const linkTokenSchema = z.string().min(1).max(256);

/** Who presents a mailed link (reset, sign-up activation), for its failure budgets. */
export interface LinkAttempt {
  limits: Pick<RateLimits, "secretLinkIp" | "secretLinkToken">;
  ip: string;
}

/**
 * As for invitations: unknown links count against the presenting address (guessing); every use of
 * one link counts against that link (the Argon2 work its submits can cause).
 */
export function linkKeys(attempt: LinkAttempt, token: string): LimitedKey[] {
  return [
    { limiter: attempt.limits.secretLinkIp, key: attempt.ip, onSuccess: "refund" },
    { limiter: attempt.limits.secretLinkToken, key: hashLinkToken(token).slice(0, 16), onSuccess: "keep" },
  ];
}

/** Who asks for account mail without a session (reset, sign-up): every request counts. */
export interface MailRequest {
  limits: Pick<RateLimits, "accountMailAddress" | "accountMailIp">;
  ip: string;
}

export function mailRequestKeys(req: MailRequest, email: string): LimitedKey[] {
  return [
    { limiter: req.limits.accountMailAddress, key: hashedKey(email), onSuccess: "keep" },
    { limiter: req.limits.accountMailIp, key: req.ip, onSuccess: "keep" },
  ];
}

/** Addresses as every other path stores them. */
export const emailSchema = z.string().trim().toLowerCase().email("EMAIL_INVALID").max(320, "EMAIL_INVALID");
