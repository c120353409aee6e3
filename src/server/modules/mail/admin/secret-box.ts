import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { Env } from "~/env";
import { parseSecretKey } from "~/server/modules/security/secrets";

export { parseSecretKey };

// Secrets stored at rest (the IMAP passwords of ImapMailbox): AES-256-GCM, a fresh random 12-byte
// IV per value, kept as text `v1:<base64 iv>:<base64 tag>:<base64 ciphertext>`. The version prefix
// leaves room for another algorithm or key later. Every function takes the key: no global state.

export const SEALED_PREFIX = "v1:";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = "ventanilla imap passwords";

/** Never carries the value or the key: only that it could not be opened. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/**
 * The key for mail secrets: MAIL_SECRETS_KEY when set (validated by src/env.ts), otherwise derived
 * from NEXTAUTH_SECRET with HKDF-SHA256, so the demo and the tests need no extra setting. Production
 * should set its own MAIL_SECRETS_KEY: then rotating NEXTAUTH_SECRET (which logs everyone out) does
 * not also make every stored mailbox password unreadable.
 */
export function mailSecretsKey(env: Pick<Env, "MAIL_SECRETS_KEY" | "NEXTAUTH_SECRET">): Buffer {
  if (env.MAIL_SECRETS_KEY) {
    const key = parseSecretKey(env.MAIL_SECRETS_KEY);
    if (!key) throw new Error("MAIL_SECRETS_KEY must be 32 bytes, as 64 hex digits or base64");
    return key;
  }
  return Buffer.from(hkdfSync("sha256", env.NEXTAUTH_SECRET, Buffer.alloc(0), HKDF_INFO, KEY_BYTES));
}

function checkKey(key: Buffer) {
  if (key.length !== KEY_BYTES) throw new SecretBoxError(`the key must be ${KEY_BYTES} bytes`);
}

/** Whether a stored value is in the sealed form (anything else is a legacy plain-text value). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

export function sealSecret(key: Buffer, plain: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${SEALED_PREFIX}${iv.toString("base64")}:${tag.toString("base64")}:${ciphertext.toString("base64")}`;
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The plain value of a sealed one; throws SecretBoxError when it is malformed, tampered with, or sealed under another key. */
export function openSecret(key: Buffer, stored: string): string {
  checkKey(key);
  if (!isSealed(stored)) throw new SecretBoxError("not a sealed value");
  const parts = stored.slice(SEALED_PREFIX.length).split(":");
  if (parts.length !== 3 || !parts.every((p) => B64.test(p))) throw new SecretBoxError("malformed sealed value");
  const [iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, "base64")) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError("malformed sealed value");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("cannot decrypt: wrong key or tampered value");
  }
}

/**
 * A stored value as it is to be used: a sealed value is opened (throws SecretBoxError as `openSecret`);
 * any other value is legacy plain text from before encryption, used as is and flagged `legacy` so
 * the caller can seal it.
 */
export function openStoredSecret(key: Buffer, stored: string): { value: string; legacy: boolean } {
  return isSealed(stored) ? { value: openSecret(key, stored), legacy: false } : { value: stored, legacy: true };
}
