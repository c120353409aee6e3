import { hash, verify } from "@node-rs/argon2";

// Argon2id with OWASP's minimum memory cost; fast enough for a login, slow for an attacker.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against a fixed hash when the user does not exist keeps response time the same.
let dummy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await (dummy ??= hashPassword("not-a-real-password")), password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
