// Point 1 of the security issue: no secret has a usable default outside development, `npm start`
// draws its own once, and anything signed with a value that ever stood in the repository is refused.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types (runs before npm install)
import { ensureSecrets } from "../../scripts/lib.mjs";
import { env, parseEnv } from "~/env";
import { readSession } from "~/server/auth/session";
import { REPOSITORY_SECRETS } from "~/server/modules/security/secrets";
import { db, makeUser, sessionCookie } from "../support/fixtures";

const random = () => randomBytes(32).toString("base64url");
const production = (vars: Record<string, string | undefined>) => parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: random(), MAIL_SECRETS_KEY: random(), ...vars });
const tmp = mkdtempSync(path.join(os.tmpdir(), "vt-secrets-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("secrets at start-up", () => {
  it("production refuses a missing NEXTAUTH_SECRET or MAIL_SECRETS_KEY, naming the variable", () => {
    expect(production({ NEXTAUTH_SECRET: undefined }).problems?.join()).toMatch(/^NEXTAUTH_SECRET is not set/);
    expect(production({ MAIL_SECRETS_KEY: undefined }).problems?.join()).toMatch(/^MAIL_SECRETS_KEY is not set/);
    expect(production({}).env?.NODE_ENV).toBe("production");
  });

  it("production refuses short, low-variety and placeholder secrets", () => {
    expect(production({ NEXTAUTH_SECRET: "x".repeat(20) }).problems?.join()).toMatch(/NEXTAUTH_SECRET is shorter than 32/);
    expect(production({ NEXTAUTH_SECRET: "ab".repeat(30) }).problems?.join()).toMatch(/too few distinct characters/);
    expect(production({ NEXTAUTH_SECRET: "please-change-me-this-is-the-secret-01" }).problems?.join()).toMatch(/placeholder/);
  });

  it("every secret that ever stood in the repository is refused in every environment, development and test included", () => {
    for (const value of [...REPOSITORY_SECRETS, "e2e-secret-4242-0123456789"]) {
      for (const NODE_ENV of ["production", "development", "test"]) {
        expect(parseEnv({ NODE_ENV, NEXTAUTH_SECRET: value, MAIL_SECRETS_KEY: random() }).problems?.join(), `${NODE_ENV}: ${value}`).toMatch(/published in the repository/);
      }
    }
  });

  it("the web and workers processes refuse to start on a weak secret with one clear line and no stack trace", () => {
    for (const entry of ["src/server/main.ts", "workers/index.ts"]) {
      const res = spawnSync(process.execPath, ["--import", "tsx", entry], {
        cwd: path.resolve(import.meta.dirname, "../.."),
        env: { ...process.env, NODE_ENV: "production", NEXTAUTH_SECRET: "ventanilla-dev-secret-change-me-in-production", MAIL_SECRETS_KEY: random() },
        encoding: "utf8",
      });
      expect(res.status, entry).toBe(78);
      const lines = res.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Refusing to start: NEXTAUTH_SECRET is a value published in the repository/);
    }
  });

  it("a session cookie made with any repository secret is refused (read as an expired session)", async () => {
    const admin = await makeUser("ADMIN");
    for (const secret of REPOSITORY_SECRETS) {
      const forged = `next-auth.session-token=${await encode({ token: { sub: admin.id }, secret, maxAge: 3600 })}`;
      expect(await readSession(db, forged, env.NEXTAUTH_SECRET)).toEqual({ actor: null, stale: true });
    }
    // The same cookie made with the real secret is accepted: the refusal is about the secret.
    expect((await readSession(db, await sessionCookie(admin.id), env.NEXTAUTH_SECRET)).actor?.role).toBe("ADMIN");
  });

  it("npm start draws strong secrets once into a private file and reuses them on the next start", () => {
    const saved = { a: process.env.NEXTAUTH_SECRET, b: process.env.MAIL_SECRETS_KEY };
    delete process.env.NEXTAUTH_SECRET;
    delete process.env.MAIL_SECRETS_KEY;
    try {
      const first = ensureSecrets(tmp) as Record<string, string>;
      const file = path.join(tmp, "secrets.env");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(production(first).env).toBeDefined();
      expect(Buffer.from(first.MAIL_SECRETS_KEY!, "base64url")).toHaveLength(32);
      expect(Buffer.from(first.METRICS_TOKEN!, "base64url")).toHaveLength(32);
      expect(ensureSecrets(tmp)).toEqual(first);
      expect(readFileSync(file, "utf8")).toContain(`NEXTAUTH_SECRET=${first.NEXTAUTH_SECRET}`);
      // A value set in the environment wins over the file.
      process.env.NEXTAUTH_SECRET = "from-the-environment-" + random();
      expect((ensureSecrets(tmp) as Record<string, string>).NEXTAUTH_SECRET).toBe(process.env.NEXTAUTH_SECRET);
    } finally {
      process.env.NEXTAUTH_SECRET = saved.a;
      process.env.MAIL_SECRETS_KEY = saved.b;
    }
  });

  it("docker-compose.yml gives no secret a default", () => {
    const compose = readFileSync(path.resolve(import.meta.dirname, "../../docker-compose.yml"), "utf8");
    for (const name of ["NEXTAUTH_SECRET", "MAIL_SECRETS_KEY", "MEILI_MASTER_KEY", "POSTGRES_PASSWORD"]) {
      expect(compose).toMatch(new RegExp(`\\$\\{${name}:\\?`));
      expect(compose).not.toMatch(new RegExp(`\\$\\{${name}:-`));
    }
  });
});
