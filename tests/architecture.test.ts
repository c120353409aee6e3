// Pages reach data through the server-side tRPC caller (src/trpc/server.ts), on the web server's own
// dependencies: no page or component builds or imports infrastructure of its own.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { startServer } from "~/server/http/create-server";
import { serverApp } from "~/server/http/server-app";

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

describe("the UI's boundary", () => {
  it("no page or component imports the database, env, a domain module or the generated client", () => {
    const forbidden = /from\s+["'](~\/env|~\/server\/db\/|~\/server\/modules\/|~\/server\/generated\/|~\/server\/redis)/;
    const offenders = [...sources(path.join(root, "src/app")), ...sources(path.join(root, "src/components"))]
      .filter((file) => readFileSync(file, "utf8").split("\n").some((line) => forbidden.test(line) && !/^\s*import\s+type\b/.test(line)))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });

  it("the web server lends its dependencies to server components while it runs, and takes them back on close", async () => {
    const server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1" } });
    try {
      // Redis answering first, so closing does not cut the connections mid-handshake (no workers here).
      expect(((await (await fetch(`${server.url}/api/health`)).json()) as { redis: string }).redis).toBe("up");
      expect(serverApp().deps).toBe(server.deps);
      expect(serverApp().deps.secrets.session).toBe(env.NEXTAUTH_SECRET);
    } finally {
      await server.close();
    }
    expect(() => serverApp()).toThrow(/no web server in this process/);
  });
});
