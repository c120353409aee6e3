// The box that encrypts the IMAP mailbox passwords at rest (AES-256-GCM), and its key handling.
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import {
  isSealed,
  mailSecretsKey,
  openSecret,
  openStoredSecret,
  parseSecretKey,
  SecretBoxError,
  sealSecret,
} from "~/server/modules/mail/admin/secret-box";

const key = randomBytes(32);
const SHAPE = /^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]*={0,2}$/;

/** The sealed value with one byte of one part (0 iv, 1 tag, 2 ciphertext) flipped, still well formed. */
function flip(sealed: string, part: 0 | 1 | 2): string {
  const parts = sealed.slice(3).split(":");
  const buf = Buffer.from(parts[part]!, "base64");
  buf[0] = buf[0]! ^ 0x01;
  parts[part] = buf.toString("base64");
  return `v1:${parts.join(":")}`;
}

describe("secret box", () => {
  it("round-trips any text, in the versioned v1:<iv>:<tag>:<ciphertext> form, with no trace of the plain text", () => {
    for (const plain of ["s3cret!", "", "contraseña con ñ y emoji 🔐", "a:b:c", "x".repeat(1000)]) {
      const sealed = sealSecret(key, plain);
      expect(sealed).toMatch(SHAPE);
      expect(isSealed(sealed)).toBe(true);
      if (plain.length > 3) expect(sealed).not.toContain(plain);
      expect(Buffer.from(sealed.split(":")[3]!, "base64").length).toBe(Buffer.byteLength(plain));
      expect(openSecret(key, sealed)).toBe(plain);
    }
  });

  it("two encryptions of the same value differ (a fresh random IV each time) and both open", () => {
    const a = sealSecret(key, "same password");
    const b = sealSecret(key, "same password");
    expect(a).not.toBe(b);
    expect(a.split(":")[1]).not.toBe(b.split(":")[1]);
    expect(openSecret(key, a)).toBe("same password");
    expect(openSecret(key, b)).toBe("same password");
  });

  it("rejects a tampered ciphertext, tag or IV", () => {
    const sealed = sealSecret(key, "s3cret-password");
    for (const part of [0, 1, 2] as const) {
      const tampered = flip(sealed, part);
      expect(tampered).toMatch(SHAPE);
      expect(tampered).not.toBe(sealed);
      expect(() => openSecret(key, tampered)).toThrow(SecretBoxError);
      expect(() => openSecret(key, tampered)).toThrow(/wrong key or tampered/);
    }
    // Parts swapped around or cut short are malformed.
    const [iv, tag, ct] = sealed.slice(3).split(":") as [string, string, string];
    expect(() => openSecret(key, `v1:${tag}:${iv}:${ct}`)).toThrow(SecretBoxError);
    expect(() => openSecret(key, `v1:${iv}:${tag}`)).toThrow(/malformed/);
    expect(() => openSecret(key, `v1:${iv}:${tag.slice(0, 20)}:${ct}`)).toThrow(SecretBoxError);
  });

  it("rejects a value sealed under another key, and its error names neither the value nor the key", () => {
    const sealed = sealSecret(key, "s3cret-password");
    const other = randomBytes(32);
    let error: unknown;
    try {
      openSecret(other, sealed);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SecretBoxError);
    expect(String((error as Error).message)).not.toMatch(/s3cret|v1:/);
    expect(String((error as Error).message)).not.toContain(other.toString("base64"));
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => sealSecret(randomBytes(16), "x")).toThrow(/32 bytes/);
    expect(() => openSecret(randomBytes(31), sealSecret(key, "x"))).toThrow(/32 bytes/);
  });

  it("openStoredSecret: a value not in the v1: form is legacy plain text, used as is", () => {
    expect(openStoredSecret(key, "plain-old-password")).toEqual({ value: "plain-old-password", legacy: true });
    expect(openStoredSecret(key, sealSecret(key, "new-password"))).toEqual({ value: "new-password", legacy: false });
    expect(() => openStoredSecret(randomBytes(32), sealSecret(key, "new-password"))).toThrow(SecretBoxError);
  });
});

describe("the mail secrets key", () => {
  const NEXTAUTH_SECRET = "test-secret-test-secret-test-secret";

  it("MAIL_SECRETS_KEY is read as 64 hex digits or as base64 (standard or URL-safe) of 32 bytes", () => {
    const raw = randomBytes(32);
    for (const text of [raw.toString("hex"), raw.toString("hex").toUpperCase(), raw.toString("base64"), raw.toString("base64url")]) {
      expect(parseSecretKey(text)).toEqual(raw);
      expect(mailSecretsKey({ MAIL_SECRETS_KEY: text, NEXTAUTH_SECRET })).toEqual(raw);
    }
    for (const bad of ["", "short", randomBytes(16).toString("hex"), randomBytes(31).toString("base64"), randomBytes(33).toString("base64"), `${raw.toString("hex")}00`]) {
      expect(parseSecretKey(bad)).toBeNull();
    }
    expect(() => mailSecretsKey({ MAIL_SECRETS_KEY: "not-a-key", NEXTAUTH_SECRET })).toThrow(/32 bytes/);
  });

  it("unset, it is derived from NEXTAUTH_SECRET with HKDF-SHA256: stable, 32 bytes, different per secret, not the secret itself", () => {
    const a = mailSecretsKey({ NEXTAUTH_SECRET });
    expect(a).toHaveLength(32);
    expect(mailSecretsKey({ NEXTAUTH_SECRET, MAIL_SECRETS_KEY: undefined })).toEqual(a);
    expect(mailSecretsKey({ NEXTAUTH_SECRET: `${NEXTAUTH_SECRET}-2` })).not.toEqual(a);
    expect(a.toString("utf8")).not.toContain(NEXTAUTH_SECRET.slice(0, 16));
    // A value sealed under the derived key opens only under it.
    const sealed = sealSecret(a, "pw");
    expect(openSecret(mailSecretsKey({ NEXTAUTH_SECRET }), sealed)).toBe("pw");
    expect(() => openSecret(mailSecretsKey({ NEXTAUTH_SECRET: `${NEXTAUTH_SECRET}-2` }), sealed)).toThrow(SecretBoxError);
  });

  it("src/env.ts refuses a MAIL_SECRETS_KEY of the wrong length at start-up", async () => {
    vi.resetModules();
    vi.stubEnv("MAIL_SECRETS_KEY", randomBytes(16).toString("base64"));
    try {
      await expect(import("~/env")).rejects.toThrow(/MAIL_SECRETS_KEY must be 32 bytes/);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
    const good = randomBytes(32).toString("base64");
    vi.stubEnv("MAIL_SECRETS_KEY", good);
    try {
      const { env } = await import("~/env");
      expect(env.MAIL_SECRETS_KEY).toBe(good);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
