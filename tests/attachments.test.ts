// GET /api/attachments/<id> end to end: the real HTTP server (startServer), real next-auth session
// cookies, attachments that came in with real mail (the production parser streams them into the blob
// store in env.STORAGE_DIR, the same directory the server reads), PostgreSQL for the access rules.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { processInboundMail } from "~/server/modules/mail/process/process-inbound-mail";
import { storeInboundMail } from "~/server/modules/mail/intake/store-inbound-mail";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { db, makeUser, sessionCookie } from "./support/fixtures";
import { SUPPORT, crlf, inboundDeps } from "./support/inbound-mail";
import { uniq } from "./support/uniq";

const NOT_FOUND_ES = "El archivo no existe o no tiene acceso a él.";
const NOT_FOUND_EN = "The file does not exist or you have no access to it.";
const UNAUTHORIZED_ES = "Debe iniciar sesión para continuar.";

const store = localBlobStore(env.STORAGE_DIR);
const storageExisted = existsSync(env.STORAGE_DIR);
const writtenKeys: string[] = [];
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1" } });
});

afterAll(async () => {
  await server?.close();
  for (const key of writtenKeys) await store.remove(key);
  if (!storageExisted) await rm(env.STORAGE_DIR, { recursive: true, force: true });
});

/** Stores a raw mail (as the SMTP listener does) and runs the worker's processing step on it, with a blob store in env.STORAGE_DIR. */
async function receiveMail(raw: string, envelope: { from: string; to?: string[] }) {
  const { deps } = inboundDeps(store);
  const id = await storeInboundMail(deps, Buffer.from(raw), { from: envelope.from, to: envelope.to ?? [SUPPORT], source: "smtp" });
  const outcome = await processInboundMail(deps, id);
  const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
  writtenKeys.push(row.storageKey);
  if (outcome.status !== "PROCESSED") throw new Error(`expected PROCESSED, got ${JSON.stringify(outcome)}`);
  const attachments = await db.attachment.findMany({ where: { messageId: outcome.messageId }, orderBy: { filename: "asc" } });
  writtenKeys.push(...attachments.map((a) => a.storageKey));
  const message = await db.message.findUniqueOrThrow({ where: { id: outcome.messageId } });
  return { outcome, message, attachments };
}

async function get(path: string, cookie?: string) {
  const res = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
const download = (id: string, cookie?: string) => get(`/api/attachments/${id}`, cookie);

async function person(role: "CUSTOMER" | "AGENT" | "ADMIN") {
  const user = await makeUser(role);
  return { user, cookie: await sessionCookie(user.id) };
}

// Every byte value, so any text decoding or re-encoding on the way shows.
const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from(randomUUID()), Buffer.from("\n%%EOF\n")]);
const PDF_NAME = "Factura marzo ñ.pdf";
const HTML = Buffer.from('<html><body><script>alert("x")</script>Informe</body></html>');

/** A customer's mail with a PDF (non-ASCII file name, RFC 2231) and an HTML file. */
function customerMail(from: string, tag: string): string {
  return crlf(
    [
      `From: Carla Cliente <${from}>`,
      `To: ${SUPPORT}`,
      `Subject: Factura ${tag}`,
      "Date: Mon, 02 Mar 2026 10:00:00 +0000",
      `Message-ID: <att-${tag}@cliente.test>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="B"',
      "",
      "--B",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Adjunto la factura y el informe.",
      "--B",
      "Content-Type: application/pdf",
      `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(PDF_NAME)}`,
      "Content-Transfer-Encoding: base64",
      "",
      PDF.toString("base64").replace(/.{76}/g, "$&\n"),
      "--B",
      'Content-Type: text/html; charset=utf-8; name="informe.html"',
      'Content-Disposition: attachment; filename="informe.html"',
      "Content-Transfer-Encoding: base64",
      "",
      HTML.toString("base64"),
      "--B--",
    ].join("\n"),
  );
}

/** A delivery failure report for a mail of the ticket, sent to its reply address: an internal note with the returned headers attached. */
function bounceFor(tokenAddress: string, tag: string): string {
  return crlf(
    [
      "From: Mail Delivery System <MAILER-DAEMON@mx.cliente.test>",
      `To: ${tokenAddress}`,
      "Subject: Undelivered Mail Returned to Sender",
      "Date: Mon, 02 Mar 2026 10:05:00 +0000",
      `Message-ID: <bounce-${tag}@mx.cliente.test>`,
      "Auto-Submitted: auto-replied",
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"',
      "",
      "--DSN",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "No se pudo entregar el mensaje a nadie@cliente.test.",
      "--DSN",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.cliente.test",
      "",
      "Final-Recipient: rfc822; nadie@cliente.test",
      "Action: failed",
      "Status: 5.1.1",
      "--DSN",
      "Content-Type: text/rfc822-headers",
      "",
      "From: Ventanilla Soporte <soporte@ventanilla.test>",
      "To: nadie@cliente.test",
      `Subject: Factura ${tag}`,
      "--DSN--",
    ].join("\n"),
  );
}

describe("GET /api/attachments/<id>", () => {
  let requester: Awaited<ReturnType<typeof person>>;
  let pdf: { id: string; storageKey: string; ticketId: string };
  let html: { id: string };
  let tag: string;

  beforeAll(async () => {
    requester = await person("CUSTOMER");
    tag = uniq();
    const { outcome, message, attachments } = await receiveMail(customerMail(requester.user.email, tag), { from: requester.user.email });
    expect(outcome).toMatchObject({ status: "PROCESSED", created: true });
    expect(message).toMatchObject({ internal: false, authorId: requester.user.id });
    expect(attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      [PDF_NAME, "application/pdf", PDF.length],
      ["informe.html", "text/html", HTML.length],
    ]);
    pdf = attachments[0]!;
    html = attachments[1]!;
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: pdf.ticketId } });
    expect(ticket.requesterId).toBe(requester.user.id);
  });

  it("the requester gets 200 with the exact bytes, the content type, a disposition naming the file, and nosniff", async () => {
    const res = await download(pdf.id, requester.cookie);
    expect(res.status).toBe(200);
    expect(res.body.equals(PDF)).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-length")).toBe(String(PDF.length));
    // PDFs open in the browser; the UTF-8 name survives (RFC 5987 encoding).
    expect(res.headers.get("content-disposition")).toBe(`inline; filename*=UTF-8''${encodeURIComponent(PDF_NAME)}`);
    expect(decodeURIComponent(res.headers.get("content-disposition")!.split("''")[1]!)).toBe(PDF_NAME);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/^sandbox; default-src 'none'/);
    expect(res.headers.get("cache-control")).toBe("private, max-age=300");
  });

  it("an HTML file from a mail is a download (attachment), never rendered inline, with nosniff and a sandbox CSP", async () => {
    const res = await download(html.id, requester.cookie);
    expect(res.status).toBe(200);
    expect(res.body.equals(HTML)).toBe(true);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(res.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''informe.html");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("another customer gets 404 with the Spanish message, exactly as for an id that does not exist", async () => {
    const other = await person("CUSTOMER");
    const res = await download(pdf.id, other.cookie);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.body.toString("utf8")).toBe(NOT_FOUND_ES);
    expect(res.headers.get("content-disposition")).toBeNull();

    // Nothing to learn by probing: a missing id answers the same.
    const missing = await download(`c${uniq()}${uniq()}missing`, other.cookie);
    expect({ status: missing.status, body: missing.body.toString("utf8") }).toEqual({ status: 404, body: NOT_FOUND_ES });
    // In the reader's language when it chose one.
    const en = await download(pdf.id, `${other.cookie}; vt-locale=en`);
    expect({ status: en.status, body: en.body.toString("utf8") }).toEqual({ status: 404, body: NOT_FOUND_EN });
  });

  it("without a session: 401 with the Spanish message, for an existing file, a forged cookie and a missing id alike", async () => {
    for (const [id, cookie] of [
      [pdf.id, undefined],
      [pdf.id, "next-auth.session-token=forged.value"],
      [pdf.id, "theme=dark"],
      ["does-not-exist", undefined],
    ] as const) {
      const res = await download(id, cookie);
      expect(res.status, `${id} with ${cookie}`).toBe(401);
      expect(res.body.toString("utf8")).toBe(UNAUTHORIZED_ES);
      expect(res.headers.get("content-disposition")).toBeNull();
    }
    // A cookie for a user that no longer exists is no session either.
    const gone = await makeUser("AGENT");
    const goneCookie = await sessionCookie(gone.id);
    await db.user.delete({ where: { id: gone.id } });
    expect((await download(pdf.id, goneCookie)).status).toBe(401);
  });

  it("an agent (and an admin) gets 200 with the same bytes", async () => {
    for (const role of ["AGENT", "ADMIN"] as const) {
      const staff = await person(role);
      const res = await download(pdf.id, staff.cookie);
      expect(res.status, role).toBe(200);
      expect(res.body.equals(PDF)).toBe(true);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("an attachment on an internal note (a bounce threaded to the ticket) is 404 for the requester and 200 for agents", async () => {
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: pdf.ticketId } });
    const tokenAddress = `soporte+${ticket.replyToken}@ventanilla.test`;
    const { outcome, message, attachments } = await receiveMail(bounceFor(tokenAddress, tag), { from: "", to: [tokenAddress] });
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, created: false });
    expect(message).toMatchObject({ internal: true, automated: true, authorId: null });
    expect(attachments).toHaveLength(1);
    const note = attachments[0]!;
    expect(note).toMatchObject({ ticketId: ticket.id, contentType: "text/rfc822-headers", filename: "adjunto-1" });
    const stored = await store.readBuffer(note.storageKey);
    expect(stored.toString("utf8")).toContain(`Subject: Factura ${tag}`);

    // The requester may read the ticket, but not its internal notes: the same 404 as for a missing file.
    const asRequester = await download(note.id, requester.cookie);
    expect({ status: asRequester.status, body: asRequester.body.toString("utf8") }).toEqual({ status: 404, body: NOT_FOUND_ES });
    // The ticket's public attachment stays readable for the requester.
    expect((await download(pdf.id, requester.cookie)).status).toBe(200);

    const agent = await person("AGENT");
    const asAgent = await download(note.id, agent.cookie);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body.equals(stored)).toBe(true);
    expect(asAgent.headers.get("content-type")).toBe("text/rfc822-headers");
    expect(asAgent.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''adjunto-1");
    expect(asAgent.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await download(note.id)).status).toBe(401);
  });

  it("a file lost from storage is a clean 404, not a cut connection", async () => {
    const { outcome, attachments } = await receiveMail(customerMail(requester.user.email, uniq()), { from: requester.user.email });
    expect(outcome.status).toBe("PROCESSED");
    await store.remove(attachments[0]!.storageKey);
    const res = await download(attachments[0]!.id, requester.cookie);
    expect(res.status).toBe(404);
    expect(res.body.toString()).toBe("El archivo no existe o no tiene acceso a él.");
  });

  it("a garbage id is 404 for customers and agents alike (never a 500, never a file)", async () => {
    const agent = await person("AGENT");
    for (const who of [requester, agent]) {
      for (const id of ["nope", "0", "a-b-c-d", "x".repeat(64)]) {
        const res = await download(id, who.cookie);
        expect({ id, status: res.status, body: res.body.toString("utf8") }).toEqual({ id, status: 404, body: NOT_FOUND_ES });
      }
      // Ids the route does not even accept (too long, dots, encoded slashes) fall through to the plain 404.
      for (const path of [`/api/attachments/${"x".repeat(65)}`, "/api/attachments/..%2F..%2Fetc%2Fpasswd", `/api/attachments/${pdf.id}.pdf`, "/api/attachments/"]) {
        const res = await get(path, who.cookie);
        expect(res.status, path).toBe(404);
        expect(res.headers.get("content-disposition"), path).toBeNull();
        expect(JSON.parse(res.body.toString("utf8")), path).toEqual({ error: "NOT_FOUND" });
      }
    }
  });
});
