import { hashPassword } from "../../src/server/auth/password";
import type { Role } from "../../src/shared/enums";
import { query } from "./db";
import { uniq } from "./uniq";

/** What a person needs to sign in with the login form. */
export interface Credentials {
  email: string;
  password: string;
}

/** A user this test created and owns: nobody else signs in as them, queues their tickets or counts their failures. */
export interface TestUser extends Credentials {
  id: string;
  name: string;
  role: Role;
}

export const TEST_PASSWORD = "clave-de-prueba-e2e";

// One Argon2 hash per worker: every test user has the same password, and hashing costs ~50 ms of CPU.
let testPasswordHash: Promise<string> | undefined;

const NAMES: Record<Role, string> = { CUSTOMER: "Cliente", AGENT: "Agente", ADMIN: "Admin" };

/**
 * Inserts a user straight into the app's database, shaped as prisma/seed.ts makes the demo users
 * (verified address unless said otherwise, Spanish, an Argon2id password hash). Never deleted: the run's database is
 * dropped by the global teardown, so nothing another test still reads goes away under it.
 */
export async function createUser(role: Role, opts: { email?: string; password?: string; name?: string; verified?: boolean } = {}): Promise<TestUser> {
  const tag = uniq();
  const password = opts.password ?? TEST_PASSWORD;
  const passwordHash = opts.password ? await hashPassword(opts.password) : await (testPasswordHash ??= hashPassword(TEST_PASSWORD));
  const user: TestUser = {
    id: `e2e-${role.toLowerCase()}-${tag}`,
    email: opts.email ?? `${role.toLowerCase()}-${tag}@e2e.test`,
    name: opts.name ?? `${NAMES[role]} ${tag}`,
    role,
    password,
  };
  // Prisma keeps `timestamp(3)` columns in UTC.
  await query(
    `INSERT INTO "User" (id, email, name, "passwordHash", role, "emailVerified", "updatedAt")
     VALUES ($1, $2, $3, $4, $5::"Role", CASE WHEN $6 THEN now() AT TIME ZONE 'UTC' END, now() AT TIME ZONE 'UTC')`,
    [user.id, user.email, user.name, passwordHash, role, opts.verified ?? true],
  );
  return user;
}
