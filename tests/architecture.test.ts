// Pages reach data through the server-side tRPC caller (src/trpc/server.ts), on the web server's own
// dependencies: no page or component builds or imports infrastructure of its own. Use-cases
// (src/server/modules) declare the interfaces they need (BlobStore, EnqueueInbound, EnqueueEmails…);
// the adapters to outside systems (src/server/adapters) implement them, and only the composition
// roots (src/server/http, workers/, scripts) wire the two together.
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

/** Every module a file imports (static, re-exported or dynamic), with whether the import is type-only. */
function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, "utf8");
  const out: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^;"']*?\s+from\s+)?["']([^"']+)["']/gm)) out.push({ spec: m[2]!, typeOnly: !!m[1] });
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

/** The repository path an import points at (`~/` is src/), or the package name as written. */
function target(file: string, spec: string): string {
  if (spec.startsWith("~/")) return path.join("src", spec.slice(2));
  if (spec.startsWith(".")) return path.relative(root, path.resolve(path.dirname(file), spec));
  return spec;
}

describe("the domain's boundary", () => {
  const modules = sources(path.join(root, "src/server/modules"));

  it("no use-case imports an adapter: the domain declares the interface, src/server/adapters implements it", () => {
    const offenders = modules.flatMap((file) =>
      importsOf(file)
        .filter(({ spec }) => target(file, spec).split(path.sep).join("/").startsWith("src/server/adapters/"))
        .map(({ spec }) => `${path.relative(root, file)} -> ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the client libraries of outside systems are used in src/server/adapters only (types aside)", () => {
    const clients = new Set(["bullmq", "imapflow", "meilisearch", "nodemailer", "smtp-server"]);
    // The connection test drives ImapFlow inline (connect, STATUS, EXAMINE, logout under one deadline).
    const allowed = new Set(["src/server/modules/mail/admin/imap-connection-test.ts -> imapflow"]);
    const offenders = modules.flatMap((file) =>
      importsOf(file)
        .filter(({ spec, typeOnly }) => clients.has(spec) && !typeOnly)
        .map(({ spec }) => `${path.relative(root, file).split(path.sep).join("/")} -> ${spec}`)
        .filter((line) => !allowed.has(line)),
    );
    expect(offenders).toEqual([]);
  });
});

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
