// Point 5 of the security issue: a strict CSP with a fresh nonce per page, no framing, nosniff,
// Referrer-Policy, Permissions-Policy, HSTS on https; attachments whose bytes are not what they
// claim are downloads, never shown inline.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "../support/fixtures";

const store = localBlobStore(env.STORAGE_DIR);
const written: string[] = [];
let server: RunningServer;
let httpsServer: RunningServer;
/** What the stand-in for Next.js was given: the request's CSP header (Next reads its nonce from there). */
const seenByNext: Array<string | undefined> = [];

beforeAll(async () => {
  const next = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    seenByNext.push(req.headers["content-security-policy"] as string | undefined);
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>x</title>");
  };
  server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", PUBLIC_URL: "http://127.0.0.1" }, next });
  httpsServer = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", PUBLIC_URL: "https://soporte.example.test" }, next });
});
afterAll(async () => {
  await server?.close();
  await httpsServer?.close();
  for (const key of written) await store.remove(key);
});

const nonceOf = (csp: string | null | undefined) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1];

describe("page headers", () => {
  it("each page gets a strict CSP with a fresh nonce, the same one Next.js is given, and no unsafe-inline script", async () => {
    const a = await fetch(`${server.url}/login`);
    const b = await fetch(`${server.url}/login`);
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/'unsafe-eval'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(nonceOf(csp)).not.toBe(nonceOf(b.headers.get("content-security-policy")));
    expect(nonceOf(seenByNext.at(-2))).toBe(nonceOf(csp));
  });

  it("a CSP header sent by the client never chooses the nonce", async () => {
    await fetch(`${server.url}/kb`, { headers: { "content-security-policy": "script-src 'nonce-attacker'", "content-security-policy-report-only": "script-src 'nonce-attacker'" } });
    expect(nonceOf(seenByNext.at(-1))).not.toBe("attacker");
  });

  it("pages and API answers carry nosniff, Referrer-Policy, Permissions-Policy and refuse framing", async () => {
    for (const path of ["/login", "/api/health", "/api/trpc/user.me"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("permissions-policy"), path).toContain("camera=()");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("strict-transport-security"), path).toBeNull();
    }
    expect((await fetch(`${server.url}/api/health`)).headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("HSTS and upgrade-insecure-requests only when PUBLIC_URL is https", async () => {
    const res = await fetch(`${httpsServer.url}/login`);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    expect((await fetch(`${httpsServer.url}/api/health`)).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  });
});

describe("session cookies", () => {
  it("are __Secure- cookies with the Secure flag exactly when PUBLIC_URL is https", async () => {
    for (const [url, secure] of [["https://soporte.example.test", true], ["http://localhost:3000", false]] as const) {
      vi.resetModules();
      vi.stubEnv("PUBLIC_URL", url);
      try {
        const { authOptions } = await import("~/server/auth/options");
        expect(authOptions(testDeps().deps).useSecureCookies, url).toBe(secure);
      } finally {
        vi.unstubAllEnvs();
      }
    }
  });
});

describe("attachments are shown inline only when their bytes are what they claim", () => {
  // A whole 1×1 PNG (signature, IHDR, IDAT, IEND): file-type walks the chunks, so they must be real.
  const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
  const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
  const HTML = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
  const ZIP = Buffer.concat([Buffer.from("504b0304140000000800", "hex"), randomBytes(200)]);
  let cookie: string;
  let ticketId: string;

  beforeAll(async () => {
    const { deps } = testDeps();
    const customer = await makeUser();
    cookie = await sessionCookie(customer.id);
    ticketId = (await (await callerFor(deps, customer.id)).ticket.create({ subject: "Adjuntos", description: "x", priority: "LOW" })).id;
  });

  async function attach(filename: string, contentType: string, bytes: Buffer) {
    const blob = await store.put("attachments", bytes);
    written.push(blob.key);
    const row = await db.attachment.create({ data: { ticketId, filename, contentType, size: blob.size, sha256: blob.sha256, storageKey: blob.key } });
    const res = await fetch(`${server.url}/api/attachments/${row.id}`, { headers: { cookie } });
    return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), csp: res.headers.get("content-security-policy"), body: Buffer.from(await res.arrayBuffer()) };
  }

  it("a real PNG and a real PDF are inline", async () => {
    const png = await attach("foto.png", "image/png", PNG);
    expect(png).toMatchObject({ status: 200, type: "image/png" });
    expect(png.disposition).toMatch(/^inline;/);
    expect(png.body.equals(PNG)).toBe(true);
    const pdf = await attach("factura.pdf", "application/pdf", PDF);
    expect(pdf.disposition).toMatch(/^inline;/);
  });

  it("HTML claiming to be a PNG is a download of octet-stream, with its bytes intact and the sandbox kept", async () => {
    const res = await attach("foto.png", "image/png", HTML);
    expect(res.disposition).toMatch(/^attachment;/);
    expect(res.type).toBe("application/octet-stream");
    expect(res.csp).toMatch(/^sandbox;/);
    expect(res.body.equals(HTML)).toBe(true);
  });

  it("a JPEG claim with PNG bytes, and a text claim with ZIP bytes, are downloads", async () => {
    expect((await attach("foto.jpg", "image/jpeg", PNG)).disposition).toMatch(/^attachment;/);
    expect((await attach("leeme.txt", "text/plain", ZIP)).disposition).toMatch(/^attachment;/);
    const text = await attach("leeme.txt", "text/plain", Buffer.from("hola, texto plano\n"));
    expect(text.disposition).toMatch(/^inline;/);
    expect(text.type).toBe("text/plain; charset=utf-8");
  });

  it("a large file streams whole after the sniffed head", async () => {
    const big = Buffer.concat([PNG, randomBytes(3 * 1024 * 1024)]);
    const res = await attach("grande.png", "image/png", big);
    expect(res.disposition).toMatch(/^inline;/);
    expect(res.body.length).toBe(big.length);
    expect(res.body.equals(big)).toBe(true);
  });
});
