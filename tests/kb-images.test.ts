// Knowledge-base images end to end: POST /api/kb/images and GET /api/kb/images/<id> on the real HTTP
// server (startServer), real next-auth session cookies, the blob store in env.STORAGE_DIR, PostgreSQL.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { KB_IMAGE_MAX_BYTES } from "~/server/modules/kb/images";
import { renderMarkdown } from "~/server/modules/kb/markdown";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { db, makeUser, sessionCookie } from "./support/fixtures";

const store = localBlobStore(env.STORAGE_DIR);
const storageExisted = existsSync(env.STORAGE_DIR);
const imageIds: string[] = [];
let server: RunningServer;

// The server's PUBLIC_URL: what the browser sends as Origin from our own pages.
const ORIGIN = "http://ventanilla.test";

beforeAll(async () => {
  server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", PUBLIC_URL: ORIGIN } });
});

afterAll(async () => {
  await server?.close();
  const rows = await db.kbImage.findMany({ where: { id: { in: imageIds } } });
  for (const r of rows) await store.remove(r.storageKey);
  await db.kbImage.deleteMany({ where: { id: { in: imageIds } } });
  if (!storageExisted) await rm(env.STORAGE_DIR, { recursive: true, force: true });
});

// A PNG signature followed by every byte value and a unique tail, so any re-encoding on the way shows.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from(randomUUID())]);

async function person(role: "CUSTOMER" | "AGENT" | "ADMIN", locale = "es") {
  const user = await makeUser(role, { locale });
  return { user, cookie: await sessionCookie(user.id) };
}


async function upload(body: Buffer, opts: { cookie?: string; type?: string; filename?: string; origin?: string | null } = {}) {
  const headers: Record<string, string> = { "content-type": opts.type ?? "image/png", "x-filename": encodeURIComponent(opts.filename ?? "captura ñ.png") };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
  const res = await fetch(`${server.url}/api/kb/images`, { method: "POST", headers, body: new Uint8Array(body) });
  const json = (await res.json()) as { id?: string; url?: string; error?: string; message?: string };
  if (json.id) imageIds.push(json.id);
  return { status: res.status, json };
}

describe("POST /api/kb/images", () => {
  it("stores an agent's PNG and serves the same bytes publicly", async () => {
    const agent = await person("AGENT");
    const up = await upload(PNG, { cookie: agent.cookie });
    expect(up.status).toBe(200);
    expect(up.json.url).toBe(`/api/kb/images/${up.json.id}`);

    const row = await db.kbImage.findUniqueOrThrow({ where: { id: up.json.id! } });
    expect(row).toMatchObject({ contentType: "image/png", size: PNG.length, filename: "captura ñ.png", uploaderId: agent.user.id });

    // Anonymous, like a visitor reading a published article.
    const res = await fetch(`${server.url}${up.json.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=\d{6,}/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("refuses anonymous visitors (401) and customers (403), storing nothing", async () => {
    const before = await db.kbImage.count();
    const anon = await upload(PNG);
    expect(anon.status).toBe(401);
    expect(anon.json.message).toBe("Debe iniciar sesión para continuar.");
    const customer = await person("CUSTOMER");
    const denied = await upload(PNG, { cookie: customer.cookie });
    expect(denied.status).toBe(403);
    expect(denied.json.message).toBe("No tiene permiso para realizar esta acción.");
    expect(await db.kbImage.count()).toBe(before);
  });

  it("refuses other types with 415 and a localized message", async () => {
    const agent = await person("AGENT");
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), { cookie: agent.cookie, type: "image/svg+xml" });
    expect(svg.status).toBe(415);
    expect(svg.json).toMatchObject({ error: "IMAGE_TYPE_UNSUPPORTED", message: "Solo se admiten imágenes PNG, JPEG, GIF o WebP." });
    const admin = await person("ADMIN", "en");
    const html = await upload(Buffer.from("<html></html>"), { cookie: admin.cookie, type: "text/html" });
    expect(html.status).toBe(415);
    expect(html.json.message).toBe("Only PNG, JPEG, GIF or WebP images are accepted.");
  });

  it("refuses images over 5 MB with 413", async () => {
    const agent = await person("AGENT");
    const big = Buffer.alloc(KB_IMAGE_MAX_BYTES + 1, 7);
    const up = await upload(big, { cookie: agent.cookie });
    expect(up.status).toBe(413);
    expect(up.json.message).toBe("La imagen no puede superar 5 MB.");
    // Exactly the limit is fine.
    const edge = await upload(Buffer.alloc(KB_IMAGE_MAX_BYTES, 7), { cookie: agent.cookie });
    expect(edge.status).toBe(200);
  });

  it("enforces the limit while streaming when no Content-Length is sent", async () => {
    const agent = await person("AGENT");
    const chunk = Buffer.alloc(1024 * 1024, 1);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 7) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const before = await db.kbImage.count();
    const res = await fetch(`${server.url}/api/kb/images`, {
      method: "POST",
      headers: { cookie: agent.cookie, origin: ORIGIN, "content-type": "image/jpeg", "x-filename": "big.jpg" },
      body,
      duplex: "half",
    } as RequestInit).catch((err: Error) => err);
    // The server answers 413 and closes the connection without reading the rest; either is a refusal.
    if (!(res instanceof Error)) expect(res.status).toBe(413);
    expect(await db.kbImage.count()).toBe(before);
  });
});

describe("POST /api/kb/images from elsewhere", () => {
  it("is refused, in the user's language, unless the browser says it comes from our own pages", async () => {
    const agent = await person("AGENT");
    const before = await db.kbImage.count();
    const cross = await upload(PNG, { cookie: agent.cookie, origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect(cross.json).toMatchObject({ error: "UPLOAD_ORIGIN", message: "Los archivos solo pueden enviarse desde las páginas de este sitio." });
    expect((await upload(PNG, { cookie: agent.cookie, origin: null })).status).toBe(403);
    expect(await db.kbImage.count()).toBe(before);
  });
});

describe("GET /api/kb/images/<id>", () => {
  it("is a localized 404 for an unknown id", async () => {
    const res = await fetch(`${server.url}/api/kb/images/nope-${randomUUID().slice(0, 8)}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("La imagen no existe.");
  });
});

describe("renderMarkdown", () => {
  it("keeps relative /api/kb/images URLs in img src", () => {
    const html = renderMarkdown("Paso 1:\n\n![captura](/api/kb/images/abc123)");
    expect(html).toContain('<img src="/api/kb/images/abc123" alt="captura"');
    expect(renderMarkdown("![x](javascript:alert(1))")).not.toContain("javascript:");
  });
});
