// Hostile mail cannot stall a worker (issue 11, point 7): a 5 MB HTML mail of 200,000 links and a
// mail of 5,000 MIME parts go through the real pipeline (raw bytes in a real blob store, an
// InboundMail row, processInboundMail against PostgreSQL) and are kept, within a time bound.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ATTACHMENTS, MAX_HTML_TO_TEXT, MAX_MIME_LINES, htmlPreviewText, parseMailStreaming } from "~/server/modules/mail/parse/parse-mail";
import { processInboundMail } from "~/server/modules/mail/process/process-inbound-mail";
import { MAX_MAIL_LINKS, sanitizeMailHtml } from "~/server/modules/mail/parse/sanitize-mail-html";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { db } from "../support/fixtures";
import { SUPPORT, crlf, inboundDeps } from "../support/inbound-mail";

/**
 * Wall-clock bound for one hostile mail, parse to commit. Measured on this 2-core VM at about 1.5 s
 * (links) and 0.7 s (parts); the bound leaves room for a busy machine. Without the defences the
 * links mail takes about 5 s here and the many-part mail ends UNPROCESSABLE.
 */
const BOUND_MS = 8000;

let dir: string;
let store: BlobStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-hostile-"));
  store = localBlobStore(dir);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tag = () => randomUUID().slice(0, 8);

function header(from: string, subject: string, contentType: string) {
  return [`From: ${from}`, `To: ${SUPPORT}`, `Subject: ${subject}`, `Message-ID: <${tag()}${tag()}@hostil.test>`, "Date: Mon, 02 Mar 2026 10:00:00 +0000", "MIME-Version: 1.0", `Content-Type: ${contentType}`].join("\r\n");
}

/** About 5 MB of HTML: 200,000 links, then text up to the size. */
function linksMail(from: string, links = 200_000, bytes = 5_000_000): Buffer {
  const parts: string[] = ["<html><body><p>Hola, aquí van mis enlaces.</p>"];
  for (let i = 0; i < links; i++) parts.push(`<a href="/l/${i}">${i % 10}</a>`);
  let html = parts.join("");
  if (html.length < bytes) html += `<p>${"relleno ".repeat(Math.ceil((bytes - html.length) / 8))}</p>`;
  return Buffer.from(`${header(from, "Muchos enlaces", "text/html; charset=utf-8")}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}</body></html>\r\n`);
}

/** A text part, then `n` small base64 attachments. */
function manyPartsMail(from: string, n = 5000): Buffer {
  const b = `b-${tag()}`;
  const out = [`${header(from, "Muchas partes", `multipart/mixed; boundary="${b}"`)}\r\n\r\n--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nEl texto de un correo con muchas partes.\r\n`];
  for (let i = 0; i < n; i++) {
    out.push(`--${b}\r\nContent-Type: application/octet-stream; name="p${i}.bin"\r\nContent-Disposition: attachment; filename="p${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`parte ${i}`).toString("base64")}\r\n`);
  }
  out.push(`--${b}--\r\n`);
  return Buffer.from(out.join(""));
}

/** Stores the raw mail as the SMTP listener does and records it, then runs the worker's step, timed. */
async function process(raw: Buffer, from: string) {
  const blob = await store.put("raw", raw);
  const row = await db.inboundMail.create({
    data: { storageKey: blob.key, sha256: createHash("sha256").update(raw).digest("hex"), size: raw.length, envelopeFrom: from, envelopeTo: [SUPPORT] },
  });
  const { deps } = inboundDeps(store, { maxAttachmentBytes: 20 * 1024 * 1024 });
  const started = performance.now();
  const outcome = await processInboundMail(deps, row.id);
  const ms = Math.round(performance.now() - started);
  const inbound = await db.inboundMail.findUniqueOrThrow({ where: { id: row.id } });
  return { outcome, inbound, ms, rawKey: blob.key };
}

const chunked = (raw: Buffer, size = 64 * 1024) => () => Readable.from((function* () {
  for (let i = 0; i < raw.length; i += size) yield raw.subarray(i, i + size);
})());

describe("hostile mail is processed in bounded time, and kept", () => {
  it("a 5 MB HTML mail with 200,000 links: kept, at most 500 links left, html-to-text skipped, within the bound", async () => {
    const from = `enlaces-${tag()}@hostil.test`;
    const raw = linksMail(from);
    expect(raw.length).toBeGreaterThan(5_000_000);
    const { outcome, inbound, ms } = await process(raw, from);
    console.log(`[hostile-mail] ${(raw.length / 1e6).toFixed(1)} MB HTML, 200,000 links: processed in ${ms} ms`);
    expect(outcome.status).toBe("PROCESSED");
    expect(inbound.status).toBe("PROCESSED");
    expect(ms).toBeLessThan(BOUND_MS);

    const message = await db.message.findUniqueOrThrow({ where: { id: inbound.messageId! } });
    const links = message.fullHtml!.match(/<a\s/g) ?? [];
    expect(links).toHaveLength(MAX_MAIL_LINKS);
    // The rest are their text: the last link's text and the filler after it are still there.
    const html = message.fullHtml!;
    expect(html.includes('<a href="/l/499" rel="noopener noreferrer nofollow" target="_blank">9</a><span>0</span>'), "link 500 onwards as text").toBe(true);
    expect(html.includes("<span>9</span><p>relleno relleno"), "the last link's text, then the filler").toBe(true);
    expect(html.length).toBeLessThan(raw.length);
    expect(message.bodyText).toContain("Hola, aquí van mis enlaces.");
  });

  it("HTML over the html-to-text limit is not converted by mailparser: a plain strip of its beginning is the text", async () => {
    const raw = linksMail(`a@hostil.test`);
    const started = performance.now();
    const parsed = await parseMailStreaming(chunked(raw), store, 1024 * 1024);
    const ms = Math.round(performance.now() - started);
    console.log(`[hostile-mail] parse of the 5 MB links mail: ${ms} ms`);
    // html-to-text would write every link's target in brackets ("0 [/l/0]") and take seconds.
    expect(parsed.mail.text!.includes("[/l/"), "html-to-text's rendering of links").toBe(false);
    expect(parsed.mail.text!.startsWith("Hola, aquí van mis enlaces.\n0123456789"), "a plain strip of the HTML").toBe(true);
    expect(parsed.mail.text!.length).toBeLessThanOrEqual(MAX_HTML_TO_TEXT);
    expect(parsed.mail.html).toHaveLength(raw.length - raw.indexOf("<html>") - 2);
    expect(ms).toBeLessThan(BOUND_MS / 4);
    expect(htmlPreviewText("<p>a &amp; b</p><script>x()</script><p>c&#233;</p>")).toBe("a & b\ncé");
  });

  it("sanitizing keeps the first 500 links as links and turns the rest into text", () => {
    const html = Array.from({ length: 600 }, (_, i) => `<a href="https://x.test/${i}" onclick="evil()">enlace ${i}</a>`).join(" ");
    const out = sanitizeMailHtml(html);
    expect(out.match(/<a /g)).toHaveLength(500);
    expect(out).toContain('<a href="https://x.test/499" rel="noopener noreferrer nofollow" target="_blank">enlace 499</a>');
    expect(out).toContain("<span>enlace 500</span>");
    expect(out).not.toContain("https://x.test/500");
    expect(out).not.toContain("onclick");
  });

  it("a mail of 5,000 MIME parts: kept with its text, at most 200 attachments stored, nothing left behind, within the bound", async () => {
    const from = `partes-${tag()}@hostil.test`;
    const raw = manyPartsMail(from);
    const before = new Set(await listFiles());
    const { outcome, inbound, ms, rawKey } = await process(raw, from);
    console.log(`[hostile-mail] ${(raw.length / 1e6).toFixed(2)} MB, 5,000 MIME parts: processed in ${ms} ms`);
    expect(outcome.status).toBe("PROCESSED");
    expect(inbound.status).toBe("PROCESSED");
    expect(inbound.reason).toMatch(/^too many MIME parts: \d+ attachments not kept/);
    expect(ms).toBeLessThan(BOUND_MS);

    const message = await db.message.findUniqueOrThrow({ where: { id: inbound.messageId! }, include: { attachments: { orderBy: { filename: "asc" } } } });
    expect(message.bodyText).toContain("El texto de un correo con muchas partes.");
    expect(message.attachments.length).toBeGreaterThan(0);
    expect(message.attachments.length).toBeLessThanOrEqual(MAX_ATTACHMENTS);
    // The files in storage are exactly the raw mail and the attachments kept: no orphan per dropped part.
    const added = (await listFiles()).filter((f) => !before.has(f));
    expect(added.sort()).toEqual([rawKey, ...message.attachments.map((a) => a.storageKey)].map((k) => path.basename(k)).sort());
    // The raw original stays in storage, whole.
    expect((await store.readBuffer(rawKey)).equals(raw)).toBe(true);
  });

  it("past 1,000 part delimiters the parser reads no further, and says so; 200 attachments are kept", async () => {
    const raw = manyPartsMail(`a@hostil.test`);
    const parsed = await parseMailStreaming(chunked(raw, 4096), store, 20 * 1024 * 1024);
    expect(parsed.tooManyParts).toBe(true);
    expect(parsed.attachments).toHaveLength(MAX_ATTACHMENTS);
    expect(parsed.droppedParts).toBeGreaterThan(0);
    expect(parsed.droppedParts).toBeLessThanOrEqual(MAX_MIME_LINES - MAX_ATTACHMENTS);
    expect(parsed.mail.text).toContain("El texto de un correo con muchas partes.");
    await Promise.all(parsed.attachments.map((a) => store.remove(a.blob.key)));

    // The same shape with few parts is untouched.
    const small = await parseMailStreaming(chunked(manyPartsMail(`a@hostil.test`, 20), 4096), store, 20 * 1024 * 1024);
    expect(small).toMatchObject({ tooManyParts: false, droppedParts: 0 });
    expect(small.attachments).toHaveLength(20);
    await Promise.all(small.attachments.map((a) => store.remove(a.blob.key)));
  });
});

async function listFiles(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else out.push(e.name);
    }
  };
  await walk(dir);
  return out;
}
