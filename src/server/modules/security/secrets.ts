// What makes a secret acceptable. Plain functions of their input, imported by src/env.ts, so this
// module must not import env (or anything that does).

const KEY_BYTES = 32;

/** A 32-byte key written as 64 hex digits or as base64 (standard or URL-safe); null when it is neither. */
export function parseSecretKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t, "base64");
    return key.length === KEY_BYTES ? key : null;
  }
  return null;
}

/**
 * Every secret value that ever stood in this repository (defaults, examples, test and benchmark
 * values). Anyone can read them, so a cookie or a sealed value made with one proves nothing: they are
 * refused in every environment, tests included (tests draw random secrets per run).
 */
export const REPOSITORY_SECRETS: readonly string[] = [
  "ventanilla-dev-secret-change-me-in-production",
  "change-me-to-a-long-random-string",
  "test-secret-test-secret-test-secret",
  "ventanilla-bench-secret-not-for-production",
  "ventanilla-dev-master-key",
];
/** Values built from a template that stood in the repository (the e2e setup's `e2e-secret-<pid>-0123456789`). */
const REPOSITORY_SECRET_PATTERNS = [/^e2e-secret-\d+-0123456789(-2)?$/];

export function isRepositorySecret(value: string): boolean {
  const v = value.trim();
  return REPOSITORY_SECRETS.includes(v) || REPOSITORY_SECRET_PATTERNS.some((p) => p.test(v));
}

/** Minimum length of NEXTAUTH_SECRET outside development and tests: `openssl rand -base64 32` gives 44. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Why a session secret is unusable, or null when it is fine. `strict` (production) also refuses
 * short and low-variety values such as "aaaa…" or "changemechangeme…".
 */
export function weakSecretReason(value: string, strict: boolean): string | null {
  if (isRepositorySecret(value)) return "is a value published in the repository";
  if (!strict) return null;
  if (value.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters`;
  if (new Set(value).size < 12) return "has too few distinct characters to be random";
  if (/change.?me|secret|password|contrase/i.test(value) && new Set(value).size < 20) return "looks like a placeholder, not a random value";
  return null;
}
