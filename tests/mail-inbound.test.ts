import { PassThrough } from "node:stream";
// The inbound mail channel end to end: the production SMTP listener (smtp-server) on a free port,
// real SMTP clients (nodemailer sending raw RFC 822 bytes, and swaks), raw mail on disk, the real
// parser/classifier/threader against PostgreSQL, and the real BullMQ inbound worker with Redis.
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { processInboundMail, type InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { createInboundQueue, inboundEnqueuer, type InboundJob } from "~/server/adapters/bullmq/inbound-queue";
import { threadMessageId } from "~/server/modules/notifications/outbox";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { createRedis } from "~/server/redis";
import { startInboundWorker } from "../workers/inbound-mail";
import { callerFor, db, makeUser, testDeps, withInboundQueue } from "./support/fixtures";
import {
  SUPPORT,
  crlf,
  inboundDeps,
  rawMail,
  sendRaw,
  smtpDialog,
  startIntake,
  swaks,
  swaksReplies,
  type Intake,
} from "./support/inbound-mail";
import { eventually, waitUntil, withTimeout } from "./support/wait";
import { uniq } from "./support/uniq";
import { lineLogger } from "./support/capture-log";

const MAX_MESSAGE_BYTES = 200 * 1024;
const MAX_ATTACHMENT_BYTES = 150 * 1024;
const HOUR = 3600_000;

let dir: string;
let store: BlobStore;
let intake: Intake;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-inbound-"));
  store = localBlobStore(dir);
  intake = await startIntake({ store, maxMessageBytes: MAX_MESSAGE_BYTES, maxAttachmentBytes: MAX_ATTACHMENT_BYTES });
});

afterAll(async () => {
  try {
    for (const c of cleanups.reverse()) await c();
    await intake?.close();
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const customerAddress = (tag: string) => `cliente-${tag}@cliente.test`;

/** Delivers over real SMTP (nodemailer), expects 250, returns the stored InboundMail id once it was handed to enqueue. */
async function deliver(raw: string | Buffer, envelope: { from: string; to?: string[] }): Promise<string> {
  const res = await sendRaw(intake.port, { from: envelope.from, to: envelope.to ?? [SUPPORT] }, raw);
  expect(res, res.response).toMatchObject({ ok: true, code: 250 });
  expect(res.id).toBeTruthy();
  await intake.enqueuedId(res.id!);
  return res.id!;
}

/** Deliver, then run the processing step the worker runs. */
async function receive(deps: InboundDeps, raw: string | Buffer, envelope: { from: string; to?: string[] }) {
  const id = await deliver(raw, envelope);
  const outcome = await processInboundMail(deps, id);
  const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
  return { id, outcome, row };
}

async function processedTicket(outcome: Awaited<ReturnType<typeof processInboundMail>>) {
  if (outcome.status !== "PROCESSED") throw new Error(`expected PROCESSED, got ${JSON.stringify(outcome)}`);
  const ticket = await db.ticket.findUniqueOrThrow({
    where: { id: outcome.ticketId },
    include: { requester: true, messages: { orderBy: { createdAt: "asc" } }, attachments: true, events: { orderBy: { createdAt: "asc" } } },
  });
  const message = await db.message.findUniqueOrThrow({ where: { id: outcome.messageId }, include: { attachments: true } });
  return { ticket, message };
}

/** A ticket opened in the portal by a fresh customer (its confirmation mail is staged in the outbox). */
async function portalTicket(subject = "Problema con la factura") {
  const customer = await makeUser("CUSTOMER", { name: "Clara Cliente" });
  const { deps } = testDeps();
  const created = await (await callerFor(deps, customer.id)).ticket.create({ subject, description: "No me llega la factura de febrero." });
  const ticket = await db.ticket.findUniqueOrThrow({ where: { id: created.id } });
  return { customer, ticket, tokenAddress: `soporte+${ticket.replyToken}@ventanilla.test`, setupDeps: deps };
}

const outboundCount = (ticketId: string) => db.outboundEmail.count({ where: { ticketId } });
const rawFiles = async () => {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else out.push(path.join(d, e.name));
    }
  };
  await walk(path.join(dir, "raw"));
  return out;
};

describe("SMTP intake: the listener", () => {
  it("stores the raw bytes before the 250 and hands the id to enqueue (nodemailer)", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const raw = rawMail({ from: `Ana Perez <${from}>`, subject: "Prueba de entrega", messageId: `<store-${tag}@cliente.test>`, body: "Hola" });
    const res = await sendRaw(intake.port, { from, to: [SUPPORT] }, raw);
    expect(res.ok).toBe(true);
    expect(res.response).toMatch(/^250 .*queued as \S+/);
    const id = res.id!;
    await intake.enqueuedId(id);

    const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "RECEIVED", envelopeFrom: from, envelopeTo: [SUPPORT], source: "smtp", attempts: 0 });
    const stored = await store.readBuffer(row.storageKey);
    expect(stored.toString("utf8")).toBe(raw);
    expect(row.size).toBe(Buffer.byteLength(raw));
    expect(row.sha256).toBe(sha256(raw));
  });

  it("a second client (swaks) delivers the same way, and the mail becomes a ticket", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const raw = rawMail({ from: `Beto <${from}>`, subject: "Enviado con swaks", messageId: `<swaks-${tag}@cliente.test>`, body: "Mensaje desde swaks." });
    const { exitCode, transcript, id } = await swaks(intake.port, { from, to: SUPPORT }, raw);
    expect(exitCode, transcript).toBe(0);
    expect(swaksReplies(transcript).at(-2)).toMatch(/^250 .*queued as/);
    await intake.enqueuedId(id!);
    const { deps } = inboundDeps(store);
    const outcome = await processInboundMail(deps, id!);
    const { ticket, message } = await processedTicket(outcome);
    expect(ticket.subject).toBe("Enviado con swaks");
    expect(message.bodyText).toBe("Mensaje desde swaks.");
  });

  it("refuses a recipient that is not ours with 550 at RCPT TO, and stores nothing", async () => {
    const before = await db.inboundMail.count();
    const raw = rawMail({ from: "x@cliente.test", to: "ventas@otro.test", subject: "x", messageId: `<rcpt-${uniq()}@cliente.test>`, body: "x" });
    for (const to of ["ventas@otro.test", "otro@ventanilla.test", "soporte@ventanilla.test.evil.test"]) {
      const res = await sendRaw(intake.port, { from: "x@cliente.test", to: [to] }, raw);
      expect(res.ok).toBe(false);
      expect(res.code).toBe(550);
      expect(res.command).toBe("RCPT TO");
      expect(res.response).toContain("no such mailbox");
    }
    const s = await swaks(intake.port, { from: "x@cliente.test", to: "ventas@otro.test" }, raw);
    expect(s.exitCode).not.toBe(0);
    expect(swaksReplies(s.transcript).some((l) => /^550 .*no such mailbox/.test(l))).toBe(true);
    expect(await db.inboundMail.count()).toBe(before);
  });

  it("refuses a mail over the SIZE limit with 552 and a human sentence, leaving no row and no file", async () => {
    const before = await db.inboundMail.count();
    const filesBefore = await rawFiles();
    const tag = uniq();
    const big = Buffer.alloc(260 * 1024, 7).toString("base64").replace(/.{76}/g, "$&\n");
    const raw = crlf(
      [
        `From: ${customerAddress(tag)}`,
        `To: ${SUPPORT}`,
        "Subject: Video adjunto",
        `Message-ID: <big-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="B"',
        "",
        "--B",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Adjunto el video.",
        "--B",
        'Content-Type: video/mp4; name="video.mp4"',
        "Content-Transfer-Encoding: base64",
        "",
        big,
        "--B--",
      ].join("\n"),
    );
    expect(Buffer.byteLength(raw)).toBeGreaterThan(MAX_MESSAGE_BYTES);
    const res = await sendRaw(intake.port, { from: customerAddress(tag), to: [SUPPORT] }, raw);
    expect(res.ok).toBe(false);
    expect(res.code).toBe(552);
    // A sentence the sender can act on, not only a code.
    expect(res.response).toMatch(/too big/i);
    expect(res.response).toMatch(/fewer or smaller files/);
    // The limit it states is the real one (150 KB here), not "0 MB".
    expect(res.response).toContain("attachments may add up to 150 KB");
    expect(await db.inboundMail.count()).toBe(before);
    expect(await rawFiles()).toEqual(filesBefore);

    // swaks gets the same refusal.
    const s = await swaks(intake.port, { from: customerAddress(tag), to: SUPPORT }, raw);
    expect(s.exitCode).not.toBe(0);
    expect(swaksReplies(s.transcript).some((l) => /^552 .*too big/i.test(l))).toBe(true);
    expect(await db.inboundMail.count()).toBe(before);
    expect(await rawFiles()).toEqual(filesBefore);
  });

  it("a client that declares SIZE= over the limit (as Postfix does) is refused at MAIL FROM, before any byte is stored", async () => {
    const before = await db.inboundMail.count();
    const replies = await smtpDialog(intake.port, ["EHLO mx.cliente.test", `MAIL FROM:<x@cliente.test> SIZE=${MAX_MESSAGE_BYTES + 1}`, "QUIT"]);
    expect(replies[0]).toMatch(/^220 /);
    expect(replies[1]).toContain(`SIZE ${MAX_MESSAGE_BYTES}`);
    expect(replies[2]).toMatch(/^552 /);
    expect(await db.inboundMail.count()).toBe(before);
  });
});

describe("parsing: bodies, HTML, attachments, charsets", () => {
  it("plain text: a new EMAIL ticket, the sender as requester, the confirmation staged with the token Reply-To", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps, bus } = inboundDeps(store);
    const body = "Hola,\nno puedo entrar a mi cuenta desde ayer.\n\nGracias";
    const { outcome, row } = await receive(deps, rawMail({ from: `"Ana Perez" <${from.toUpperCase()}>`, subject: "No puedo entrar", messageId: `<plain-${tag}@cliente.test>`, body }), { from });

    expect(outcome).toMatchObject({ status: "PROCESSED", created: true });
    const { ticket, message } = await processedTicket(outcome);
    expect(ticket).toMatchObject({ subject: "No puedo entrar", channel: "EMAIL", status: "OPEN", parentTicketId: null, priority: "MEDIUM" });
    // Opened Monday 2 March 11:00 in Madrid: 24 and 48 open hours of Monday-Friday 08:00-17:00 (SLA, seed 000).
    expect(ticket.firstResponseDueAt).toEqual(new Date("2026-03-04T16:00:00Z"));
    expect(ticket.resolutionDueAt).toEqual(new Date("2026-03-09T13:00:00Z"));
    expect(ticket.requester).toMatchObject({ email: from, name: "Ana Perez", role: "CUSTOMER" });
    expect(message).toMatchObject({
      bodyText: body,
      emailMessageId: `<plain-${tag}@cliente.test>`,
      automated: false,
      internal: false,
      channel: "EMAIL",
      authorId: ticket.requesterId,
    });
    expect(message.bodyHtml).toBe("<p>Hola,<br>no puedo entrar a mi cuenta desde ayer.</p><p>Gracias</p>");
    expect(ticket.events.map((e) => e.type)).toEqual(["CREATED"]);
    expect(row).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, messageId: message.id, dedupeKey: `<plain-${tag}@cliente.test>`, attempts: 1, reason: null });
    expect(row.processedAt).toEqual(deps.clock.now());

    const emails = await db.outboundEmail.findMany({ where: { ticketId: ticket.id } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      kind: "ticket_created",
      to: from,
      status: "QUEUED",
      replyTo: `soporte+${ticket.replyToken}@ventanilla.test`,
      messageId: threadMessageId(ticket.id, "soporte@ventanilla.test"),
    });
    expect(bus.events).toHaveLength(1);
    expect(bus.events[0]).toMatchObject({ type: "ticket.created", ticketId: ticket.id, number: ticket.number, requesterId: ticket.requesterId });
    const created = bus.events[0]!;
    const emailIds = created.type === "ticket.created" ? created.emailIds : [];
    expect(emailIds[0]).toBe(emails[0]!.id);
    // Anything else announced is mail staged to this sender (a portal invitation for a new customer).
    for (const other of await db.outboundEmail.findMany({ where: { id: { in: emailIds.slice(1) } } })) expect(other.to).toBe(from);
  });

  it("HTML only: scripts, handlers and javascript: links removed; remote images kept but not loaded", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const html = [
      "<html><head><style>body{background:url(https://track.example/bg.png)}</style></head><body>",
      '<p onclick="steal()">Hola <b>equipo</b>, el pago falla.</p>',
      "<script>alert(document.cookie)</script>",
      '<img src="https://tracker.example/p.gif?u=42" alt="px" width="1" height="1">',
      '<a href="javascript:alert(2)">clic</a>',
      '<a href="https://cliente.test/captura">captura</a>',
      "<p>Segunda línea</p></body></html>",
    ].join("\n");
    const { outcome } = await receive(deps, rawMail({ from, subject: "Solo HTML", messageId: `<html-${tag}@cliente.test>`, contentType: "text/html; charset=utf-8", body: html }), { from });
    const { message } = await processedTicket(outcome);

    const full = message.fullHtml!;
    expect(full).toContain("<b>equipo</b>");
    expect(full).not.toMatch(/<script|onclick|alert\(|javascript:|<style|track\.example/i);
    expect(full).toContain('data-remote-src="https://tracker.example/p.gif?u=42"');
    expect(full).not.toMatch(/\ssrc="https?:/);
    expect(full).toMatch(/<a href="https:\/\/cliente\.test\/captura" rel="noopener noreferrer nofollow" target="_blank">/);
    // The text shown first comes from the HTML (no text part was sent).
    expect(message.bodyText).toContain("Hola");
    expect(message.bodyText).toContain("el pago falla.");
    expect(message.bodyText).toContain("Segunda línea");
    expect(message.bodyText).not.toContain("document.cookie");
    expect(message.bodyHtml).not.toMatch(/<script|<img|onclick/);
  });

  it("remote images in any spelling (protocol-relative, leading whitespace, entities) are not loaded either", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const html = [
      "<p>Pixel</p>",
      '<img src="//pixel.example/open.gif">',
      '<img src=" https://pixel2.example/open.gif">',
      '<img src="&#x2F;&#x2F;pixel3.example/open.gif">',
      '<img src="HTTPS://pixel4.example/open.gif">',
    ].join("");
    const { outcome } = await receive(deps, rawMail({ from, subject: "Pixeles", messageId: `<px-${tag}@cliente.test>`, contentType: "text/html; charset=utf-8", body: html }), { from });
    const { message } = await processedTicket(outcome);
    const srcs = [...message.fullHtml!.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]);
    expect(srcs.filter((s) => s && !s.startsWith("/api/attachments/") && !s.startsWith("data:"))).toEqual([]);
    for (const host of ["pixel.example", "pixel2.example", "pixel3.example", "pixel4.example"]) {
      expect(message.fullHtml).toMatch(new RegExp(`data-remote-src="[^"]*${host.replace(".", "\\.")}/open\\.gif"`));
    }
  });

  it("multipart/alternative: the text part is the body, the sanitized HTML part the full view", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const raw = crlf(
      [
        `From: ${from}`,
        `To: ${SUPPORT}`,
        "Subject: Pedido 123",
        `Message-ID: <alt-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="ALT"',
        "",
        "--ALT",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Texto plano: el pedido 123 lleg=C3=B3 roto.",
        "--ALT",
        "Content-Type: text/html; charset=utf-8",
        "",
        '<p>HTML: el pedido <b>123</b> llegó roto.</p><script>x()</script>',
        "--ALT--",
      ].join("\n"),
    );
    const { outcome } = await receive(deps, raw, { from });
    const { message } = await processedTicket(outcome);
    expect(message.bodyText).toBe("Texto plano: el pedido 123 llegó roto.");
    expect(message.fullHtml).toBe("<p>HTML: el pedido <b>123</b> llegó roto.</p>");
  });

  it("nested multipart: attachment and inline cid image stored (sha256, size, safe name); cid points at /api/attachments/<id>", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
    const pdf = Buffer.from(`%PDF-1.4\n% factura ${tag}\n${"x".repeat(3000)}\n%%EOF\n`);
    const b64 = (b: Buffer) => b.toString("base64").replace(/.{76}/g, "$&\n");
    const raw = crlf(
      [
        `From: ${from}`,
        `To: ${SUPPORT}`,
        "Subject: Factura con logo",
        `Message-ID: <nested-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="MIX"',
        "",
        "--MIX",
        'Content-Type: multipart/related; boundary="REL"',
        "",
        "--REL",
        'Content-Type: multipart/alternative; boundary="ALT"',
        "",
        "--ALT",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Adjunto la factura. [logo]",
        "--ALT",
        "Content-Type: text/html; charset=utf-8",
        "",
        `<p>Adjunto la factura.</p><img src="cid:logo-${tag}@cliente.test" alt="logo">`,
        "--ALT--",
        "--REL",
        "Content-Type: image/png",
        `Content-ID: <logo-${tag}@cliente.test>`,
        'Content-Disposition: inline; filename="logo.png"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(png),
        "--REL--",
        "--MIX",
        'Content-Type: application/pdf; name="../../fact ura:1.pdf"',
        'Content-Disposition: attachment; filename="../../fact ura:1.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(pdf),
        "--MIX--",
      ].join("\n"),
    );
    const { outcome, row } = await receive(deps, raw, { from });
    const { ticket, message } = await processedTicket(outcome);
    expect(row.reason).toBeNull();
    expect(message.bodyText).toBe("Adjunto la factura. [logo]");
    expect(message.attachments).toHaveLength(2);
    expect(ticket.attachments.map((a) => a.id).sort()).toEqual(message.attachments.map((a) => a.id).sort());

    const pdfRow = message.attachments.find((a) => a.contentType === "application/pdf")!;
    expect(pdfRow).toMatchObject({ size: pdf.length, sha256: sha256(pdf), ticketId: ticket.id });
    expect(pdfRow.filename).not.toMatch(/[/\\:]/);
    expect(pdfRow.filename.startsWith(".")).toBe(false);
    expect(pdfRow.filename).toMatch(/fact ura_1\.pdf$/);
    expect(Buffer.compare(await store.readBuffer(pdfRow.storageKey), pdf)).toBe(0);

    const pngRow = message.attachments.find((a) => a.contentType === "image/png")!;
    expect(pngRow).toMatchObject({ filename: "logo.png", size: png.length, sha256: sha256(png) });
    expect(Buffer.compare(await store.readBuffer(pngRow.storageKey), png)).toBe(0);

    expect(message.fullHtml).toContain(`src="/api/attachments/${pngRow.id}"`);
    expect(message.fullHtml).not.toContain("cid:");
    expect(message.fullHtml).not.toContain("data:image");
  });

  it("attachments over the size limit are not kept, the message is, and the row says why", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store, { maxAttachmentBytes: 10 * 1024 });
    const blob = Buffer.alloc(20 * 1024, 3);
    const raw = crlf(
      [
        `From: ${from}`,
        `To: ${SUPPORT}`,
        "Subject: Adjunto grande",
        `Message-ID: <attbig-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="B"',
        "",
        "--B",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Va el archivo.",
        "--B",
        'Content-Type: application/octet-stream; name="datos.bin"',
        "Content-Transfer-Encoding: base64",
        "",
        blob.toString("base64").replace(/.{76}/g, "$&\n"),
        "--B--",
      ].join("\n"),
    );
    const { outcome, row } = await receive(deps, raw, { from });
    const { message } = await processedTicket(outcome);
    expect(message.bodyText).toBe("Va el archivo.");
    expect(message.attachments).toEqual([]);
    expect(row.status).toBe("PROCESSED");
    expect(row.reason).toMatch(/over the limit/);
    // ... and the customer is told why, in a mail staged with the ticket's other mail.
    const explained = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: message.ticketId, kind: "attachments_too_large" } });
    expect(explained.to).toBe(from);
    expect(explained.text).toMatch(/el límite es de \d+(\.\d)? MB por mensaje/);
  });

  const latin1Subject = "=?ISO-8859-1?Q?=BFD=F3nde_est=E1_mi_pedido=3F?=";
  const charsetCases = [
    {
      label: "ISO-8859-1 body, Q-encoded ISO-8859-1 subject, B-encoded UTF-8 From name",
      subjectHeader: latin1Subject,
      subject: "¿Dónde está mi pedido?",
      fromName: `=?UTF-8?B?${Buffer.from("José Muñoz").toString("base64")}?=`,
      name: "José Muñoz",
      contentType: "text/plain; charset=ISO-8859-1",
      cte: "8bit",
      body: Buffer.from("Año nuevo, niño: ¿cuándo llega? Ç ü ß", "latin1"),
      text: "Año nuevo, niño: ¿cuándo llega? Ç ü ß",
    },
    {
      label: "Windows-1252 body (€ “ ” –) and Windows-1252 encoded-words",
      subjectHeader: "=?windows-1252?Q?Presupuesto_=80_=93urgente=94?=",
      subject: "Presupuesto € “urgente”",
      fromName: "=?windows-1252?Q?Fran=E7ois_=96_Compras?=",
      name: "François – Compras",
      contentType: "text/plain; charset=windows-1252",
      cte: "8bit",
      body: Buffer.from([...Buffer.from("Precio: 20 "), 0x80, ...Buffer.from(", "), 0x93, ...Buffer.from("urgente"), 0x94, ...Buffer.from(" "), 0x96, ...Buffer.from(" caf"), 0xe9]),
      text: "Precio: 20 €, “urgente” – café",
    },
    {
      label: "ISO-2022-JP body, subject and From name",
      subjectHeader: `=?ISO-2022-JP?B?${Buffer.from("\x1b$B$3$s$K$A$O\x1b(B", "latin1").toString("base64")}?=`,
      subject: "こんにちは",
      fromName: `=?ISO-2022-JP?B?${Buffer.from("\x1b$BEDCf\x1b(B", "latin1").toString("base64")}?=`,
      name: "田中",
      contentType: "text/plain; charset=ISO-2022-JP",
      cte: "7bit",
      body: Buffer.from('\x1b$B$3$s$K$A$O!"F|K\\$NEDCf$G$9\x1b(B', "latin1"),
      text: "こんにちは、日本の田中です",
    },
  ];
  it.each(charsetCases)("charsets: $label", async (c) => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const head = crlf(
      [
        `From: ${c.fromName} <${from}>`,
        `To: ${SUPPORT}`,
        `Subject: ${c.subjectHeader}`,
        `Message-ID: <cs-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        `Content-Type: ${c.contentType}`,
        `Content-Transfer-Encoding: ${c.cte}`,
      ].join("\n"),
    );
    const raw = Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), c.body, Buffer.from("\r\n")]);
    const { outcome } = await receive(deps, raw, { from });
    const { ticket, message } = await processedTicket(outcome);
    expect(ticket.subject).toBe(c.subject);
    expect(ticket.requester.name).toBe(c.name);
    expect(message.bodyText).toBe(c.text);
    expect(message.fullHtml).toContain(c.text.replace(/&/g, "&amp;").replace(/"/g, "&quot;"));
  });

  it("malformed MIME (broken boundaries, bad base64) never throws: best effort or UNPROCESSABLE with a reason", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const raw = crlf(
      [
        `From: ${from}`,
        `To: ${SUPPORT}`,
        "Subject: roto",
        `Message-ID: <broken-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="AAA"',
        "",
        "preamble",
        "--AAA",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        "SG9sYSBtdW5kbw==!!!***esto no es base64***",
        "--AAA",
        "Content-Type: multipart/alternative; boundary=",
        "",
        "--",
        "Content-Type: application/octet-stream; name=\"x.bin",
        "Content-Transfer-Encoding: base64",
        "",
        "@@@@####$$$$",
        "--BBB",
        "sin cierre",
      ].join("\n"),
    );
    const id = await deliver(raw, { from });
    const outcome = await processInboundMail(deps, id);
    const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
    expect(["PROCESSED", "UNPROCESSABLE"]).toContain(outcome.status);
    expect(row.status).toBe(outcome.status);
    if (outcome.status === "PROCESSED") {
      const { message } = await processedTicket(outcome);
      expect(message.bodyText.length).toBeGreaterThan(0);
    } else {
      expect(row.reason).toBeTruthy();
    }
  });

  it("a text part that decodes to a NUL byte (bad charset/base64) does not throw and does not wedge the mail", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const raw = crlf(
      [
        `From: ${from}`,
        `To: ${SUPPORT}`,
        "Subject: binario en el texto",
        `Message-ID: <nul-${tag}@cliente.test>`,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        Buffer.from("Hola\u0000mundo\u0000").toString("base64"),
      ].join("\n"),
    );
    const id = await deliver(raw, { from });
    const outcome = await processInboundMail(deps, id).catch((err: Error) => ({ status: "THREW", reason: err.message }));
    expect(outcome.status).not.toBe("THREW");
    expect(["PROCESSED", "UNPROCESSABLE"]).toContain(outcome.status);
    expect((await db.inboundMail.findUniqueOrThrow({ where: { id } })).status).toBe(outcome.status);
  });
});

describe("dedupe", () => {
  it("a mail without Message-ID delivered twice (same bytes) makes one ticket; the second is DUPLICATE", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const raw = rawMail({ from, subject: `Sin Message-ID ${tag}`, body: "Reenviado por mi servidor." });
    expect(raw).not.toMatch(/^message-id:/im);
    const first = await receive(deps, raw, { from });
    const second = await receive(deps, raw, { from });
    const { ticket } = await processedTicket(first.outcome);
    expect(first.row.dedupeKey).toBe(`sha256:${sha256(raw)}`);
    expect(second.outcome).toEqual({ status: "DUPLICATE", reason: `already stored on ticket ${ticket.id}` });
    expect(second.row).toMatchObject({ status: "DUPLICATE", dedupeKey: first.row.dedupeKey, ticketId: null, messageId: null });
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(1);
    expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it("the same Message-ID twice (a relay added a header) makes one ticket; the second is DUPLICATE", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps, bus } = inboundDeps(store);
    const raw = rawMail({ from, subject: "Mismo Message-ID", messageId: `<same-${tag}@cliente.test>`, body: "Una vez." });
    const first = await receive(deps, raw, { from });
    const again = `Received: from relay2.cliente.test by mx; Mon, 02 Mar 2026 10:05:00 +0000\r\n${raw}`;
    const second = await receive(deps, again, { from });
    const { ticket } = await processedTicket(first.outcome);
    expect(second.outcome.status).toBe("DUPLICATE");
    expect(second.row).toMatchObject({ status: "DUPLICATE", dedupeKey: `<same-${tag}@cliente.test>` });
    expect(second.row.reason).toContain(ticket.id);
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(1);
    expect(await outboundCount(ticket.id)).toBe(1);
    expect(bus.events.map((e) => e.type)).toEqual(["ticket.created"]);
    // Running a finished row again changes nothing.
    expect(await processInboundMail(deps, first.id)).toEqual({ status: "SKIPPED" });
  });

  it("two stored copies of one Message-ID processed at the same moment: one ticket, the other DUPLICATE", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const raw = rawMail({ from, subject: "Carrera", messageId: `<race-${tag}@cliente.test>`, body: "A la vez." });
    const a = await deliver(raw, { from });
    const b = await deliver(`X-Relay: 2\r\n${raw}`, { from });
    const outcomes = await Promise.all([processInboundMail(deps, a), processInboundMail(deps, b)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["DUPLICATE", "PROCESSED"]);
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(1);
  });

  it("two different first mails of one new sender processed at the same moment: two tickets, one user, one invitation, nothing lost", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const ids = await Promise.all(
      [1, 2, 3].map((n) => deliver(rawMail({ from, subject: `Primero ${n}`, messageId: `<first-${n}-${tag}@cliente.test>`, body: `Correo ${n}.` }), { from })),
    );
    const outcomes = await Promise.all(ids.map((id) => processInboundMail(deps, id)));
    expect(outcomes.map((o) => o.status)).toEqual(["PROCESSED", "PROCESSED", "PROCESSED"]);
    expect(await db.user.count({ where: { email: from } })).toBe(1);
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(3);
    // Only the mail that created the customer invites them: one invitation, one invitation mail.
    expect(await db.invitation.count({ where: { user: { email: from } } })).toBe(1);
    expect(await db.outboundEmail.count({ where: { to: from, kind: "invitation" } })).toBe(1);
    expect(await db.outboundEmail.count({ where: { to: from, kind: "ticket_created" } })).toBe(3);
  });

  it("one stored mail processed by two jobs at once (a stalled job re-run) ends PROCESSED, not DUPLICATE", async () => {
    const tag = uniq();
    const from = customerAddress(tag);
    const { deps } = inboundDeps(store);
    const id = await deliver(rawMail({ from, subject: "Doble trabajo", messageId: `<twice-${tag}@cliente.test>`, body: "x" }), { from });
    const outcomes = await Promise.all([processInboundMail(deps, id), processInboundMail(deps, id)]);
    expect(outcomes.filter((o) => o.status === "PROCESSED")).toHaveLength(1);
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(1);
    const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("PROCESSED");
    expect(row.ticketId).toBeTruthy();
  });
});

describe("threading", () => {
  it("a reply to the token address joins the ticket; quote and signature are folded away but kept in fullHtml", async () => {
    const { customer, ticket, tokenAddress } = await portalTicket();
    const { deps, bus } = inboundDeps(store);
    const emailsBefore = await outboundCount(ticket.id);
    const body = [
      "Ya lo probé y sigue fallando.",
      "Mañana mando captura.",
      "",
      "-- ",
      "Clara Cliente",
      "Tel. 555-1234",
      "",
      "El lun, 2 mar 2026 a las 10:00, Ventanilla Soporte <soporte@ventanilla.test> escribió:",
      "> Hola Clara, ¿puedes probar de nuevo?",
      "> Gracias",
    ].join("\n");
    const raw = rawMail({ from: `Clara Cliente <${customer.email}>`, to: `Ventanilla Soporte <${tokenAddress}>`, subject: "Re: otra cosa", messageId: `<reply-${uniq()}@cliente.test>`, body });
    const { outcome, row } = await receive(deps, raw, { from: customer.email, to: [tokenAddress] });
    expect(row.envelopeTo).toEqual([tokenAddress]);
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, created: false });
    const { message, ticket: after } = await processedTicket(outcome);
    expect(after.messages).toHaveLength(2);
    expect(message).toMatchObject({ authorId: customer.id, internal: false, automated: false, channel: "EMAIL" });
    expect(message.bodyText).toBe("Ya lo probé y sigue fallando.\nMañana mando captura.");
    expect(message.bodyHtml).not.toContain("555-1234");
    for (const kept of ["Tel. 555-1234", "escribió:", "¿puedes probar de nuevo?"]) expect(message.fullHtml).toContain(kept);
    expect(after.status).toBe("OPEN");
    expect(await outboundCount(ticket.id)).toBe(emailsBefore);
    expect(bus.events).toEqual([
      { type: "message.created", ticketId: ticket.id, number: ticket.number, requesterId: customer.id, messageId: message.id, internal: false, emailIds: [] },
    ]);
  });

  it("an HTML-only reply (Gmail style: gmail_quote, wrapped 'escribió:') shows only the new text", async () => {
    const { customer, ticket, tokenAddress } = await portalTicket();
    const { deps } = inboundDeps(store);
    const html =
      '<div dir="ltr">Ya funciona, gracias.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">El lun, 2 mar 2026 a las 10:00, ' +
      'Ventanilla Soporte &lt;<a href="mailto:soporte@ventanilla.test">soporte@ventanilla.test</a>&gt; escribió:<br></div>' +
      '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Hola Clara,<br>¿Puede probar?</blockquote></div>';
    const raw = rawMail({ from: customer.email, to: tokenAddress, subject: "Re: x", messageId: `<gm-${uniq()}@mail.gmail.test>`, contentType: "text/html; charset=utf-8", body: html });
    const { outcome } = await receive(deps, raw, { from: customer.email, to: [tokenAddress] });
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id });
    const { message } = await processedTicket(outcome);
    expect(message.bodyText).toBe("Ya funciona, gracias.");
    expect(message.fullHtml).toContain("<blockquote>Hola Clara,<br />¿Puede probar?</blockquote>");
  });

  it("a reply carrying only References (to the Message-ID of a staged agent reply) joins the ticket", async () => {
    const { customer, ticket, setupDeps } = await portalTicket();
    const agent = await makeUser("AGENT", { name: "Luis Agente" });
    await (await callerFor(setupDeps, agent.id)).ticket.reply({ ticketId: ticket.id, body: "¿Qué navegador usa?" });
    const staged = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "agent_reply" } });
    const { deps } = inboundDeps(store);
    const raw = rawMail({
      from: customer.email,
      subject: "Navegador",
      messageId: `<refs-${uniq()}@cliente.test>`,
      headers: { References: `<unrelated-${uniq()}@elsewhere.test> ${staged.messageId}` },
      body: "Uso Firefox 140.",
    });
    const { outcome } = await receive(deps, raw, { from: customer.email });
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, created: false });
    const { message } = await processedTicket(outcome);
    expect(message.bodyText).toBe("Uso Firefox 140.");
  });

  it("a [#number] subject tag from a stranger opens a NEW ticket; from the requester it threads", async () => {
    const { customer, ticket } = await portalTicket("Acceso bloqueado");
    const { deps } = inboundDeps(store);

    const stranger = customerAddress(uniq());
    const fromStranger = await receive(deps, rawMail({ from: stranger, subject: `Re: [#${ticket.number}] Acceso bloqueado`, messageId: `<tag-s-${uniq()}@x.test>`, body: "Hola, soy otro." }), { from: stranger });
    expect(fromStranger.outcome).toMatchObject({ status: "PROCESSED", created: true });
    const strangerTicket = await processedTicket(fromStranger.outcome);
    expect(strangerTicket.ticket.id).not.toBe(ticket.id);
    expect(strangerTicket.ticket.parentTicketId).toBeNull();
    expect(strangerTicket.ticket.requester.email).toBe(stranger);

    // A known user who never took part is a stranger to this ticket too.
    const other = await makeUser("CUSTOMER");
    const fromOther = await receive(deps, rawMail({ from: other.email, subject: `[#${ticket.number}] me cuelo`, messageId: `<tag-o-${uniq()}@x.test>`, body: "x" }), { from: other.email });
    expect(fromOther.outcome).toMatchObject({ status: "PROCESSED", created: true });
    expect((await processedTicket(fromOther.outcome)).ticket.id).not.toBe(ticket.id);

    const fromRequester = await receive(
      deps,
      rawMail({ from: customer.email, subject: `Re: [#${ticket.number}] Acceso bloqueado`, messageId: `<tag-r-${uniq()}@x.test>`, body: "Sigo sin poder entrar." }),
      { from: customer.email },
    );
    expect(fromRequester.outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, created: false });
    expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(2);
  });
});

describe("automatic mail", () => {
  it("an out-of-office reply to a ticket's notification is stored as automated: no reopen, no mail staged", async () => {
    const { customer, ticket, tokenAddress, setupDeps } = await portalTicket();
    const agent = await makeUser("AGENT");
    await (await callerFor(setupDeps, agent.id)).ticket.setStatus({ ticketId: ticket.id, status: "WAITING_ON_CUSTOMER" });
    const notification = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "status_changed" } });
    const emailsBefore = await outboundCount(ticket.id);
    const { deps, bus } = inboundDeps(store);
    const raw = rawMail({
      from: customer.email,
      to: tokenAddress,
      subject: `Fuera de la oficina: [#${ticket.number}] Problema con la factura`,
      messageId: `<ooo-${uniq()}@cliente.test>`,
      headers: { "Auto-Submitted": "auto-replied", "In-Reply-To": notification.messageId, "X-Autoreply": "yes" },
      body: "Estoy de vacaciones hasta el lunes.",
    });
    const { outcome } = await receive(deps, raw, { from: customer.email, to: [tokenAddress] });
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, created: false });
    const { message, ticket: after } = await processedTicket(outcome);
    expect(message).toMatchObject({ automated: true, internal: false, bodyText: "Estoy de vacaciones hasta el lunes." });
    expect(after.status).toBe("WAITING_ON_CUSTOMER");
    expect(after.events.filter((e) => e.type === "STATUS_CHANGED").map((e) => e.toValue)).toEqual(["WAITING_ON_CUSTOMER"]);
    expect(await outboundCount(ticket.id)).toBe(emailsBefore);
    expect(bus.events.map((e) => e.type)).toEqual(["message.created"]);
  });

  it("an out-of-office reply that matches no ticket is IGNORED: no ticket, no user, no mail", async () => {
    const from = customerAddress(uniq());
    const { deps, bus } = inboundDeps(store);
    const raw = rawMail({ from, subject: "Automatic reply: hola", messageId: `<ooo2-${uniq()}@cliente.test>`, headers: { "Auto-Submitted": "auto-replied" }, body: "Estoy fuera." });
    const { outcome, row } = await receive(deps, raw, { from });
    expect(outcome.status).toBe("IGNORED");
    expect(row.status).toBe("IGNORED");
    expect(row.reason).toMatch(/auto-reply/);
    expect(await db.user.count({ where: { email: from } })).toBe(0);
    expect(bus.events).toEqual([]);
  });

  const dsn = (opts: { tag: string; ticketId: string; number: number; tokenAddress: string; withReferences: boolean }) =>
    crlf(
      [
        "From: Mail Delivery System <MAILER-DAEMON@mx.cliente.test>",
        `To: ${SUPPORT}`,
        "Subject: Undelivered Mail Returned to Sender",
        `Message-ID: <dsn-${opts.tag}@mx.cliente.test>`,
        ...(opts.withReferences ? [`In-Reply-To: ${threadMessageId(opts.ticketId, SUPPORT)}`, `References: ${threadMessageId(opts.ticketId, SUPPORT)}`] : []),
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"',
        "",
        "--DSN",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "This is the mail system at host mx.cliente.test.",
        "I'm sorry to have to inform you that your message could not be delivered.",
        "<nadie@cliente.test>: host mx said: 550 5.1.1 User unknown",
        "--DSN",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.cliente.test",
        "",
        "Final-Recipient: rfc822; nadie@cliente.test",
        "Action: failed",
        "Status: 5.1.1",
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
        "--DSN",
        "Content-Type: text/rfc822-headers",
        "",
        "From: Ventanilla Soporte <soporte@ventanilla.test>",
        `Reply-To: ${opts.tokenAddress}`,
        "To: nadie@cliente.test",
        `Subject: [#${opts.number}] Problema con la factura`,
        `Message-ID: ${threadMessageId(opts.ticketId, SUPPORT)}`,
        "Auto-Submitted: auto-generated",
        "--DSN--",
      ].join("\n"),
    );

  it("a bounce from MAILER-DAEMON (empty envelope sender) referencing a ticket becomes an internal note there", async () => {
    const { ticket, tokenAddress } = await portalTicket();
    const emailsBefore = await outboundCount(ticket.id);
    const { deps, bus } = inboundDeps(store);
    const tag = uniq();
    const { outcome, row } = await receive(deps, dsn({ tag, ticketId: ticket.id, number: ticket.number, tokenAddress, withReferences: true }), { from: "" });
    expect(row.envelopeFrom).toBe("");
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, created: false });
    const { message, ticket: after } = await processedTicket(outcome);
    expect(message).toMatchObject({ internal: true, automated: true, authorId: null });
    expect(message.bodyText).toContain("User unknown");
    expect(after.status).toBe("OPEN");
    expect(after.events.map((e) => e.type)).toEqual(["CREATED", "NOTE_ADDED"]);
    expect(await outboundCount(ticket.id)).toBe(emailsBefore);
    expect(bus.events).toEqual([
      { type: "message.created", ticketId: ticket.id, number: ticket.number, requesterId: ticket.requesterId, messageId: message.id, internal: true, emailIds: [] },
    ]);
  });

  it("a Postfix-style bounce (no In-Reply-To/References; the original's headers only inside the report) still reaches the ticket", async () => {
    const { ticket, tokenAddress } = await portalTicket();
    const { deps } = inboundDeps(store);
    const { outcome, row } = await receive(deps, dsn({ tag: uniq(), ticketId: ticket.id, number: ticket.number, tokenAddress, withReferences: false }), { from: "" });
    expect(row.reason).toBeNull();
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id });
  });

  it("our own mail coming back (X-Loop) is IGNORED", async () => {
    const { ticket, customer, tokenAddress } = await portalTicket();
    const { deps, bus } = inboundDeps(store);
    const messagesBefore = await db.message.count({ where: { ticketId: ticket.id } });
    const raw = rawMail({
      from: `Ventanilla Soporte <soporte@ventanilla.test>`,
      to: tokenAddress,
      subject: `[#${ticket.number}] Problema con la factura`,
      messageId: `<loop-${uniq()}@ventanilla.test>`,
      headers: { "X-Loop": "soporte@ventanilla.test", "Auto-Submitted": "auto-generated" },
      body: "Su solicitud fue recibida.",
    });
    const { outcome, row } = await receive(deps, raw, { from: customer.email, to: [tokenAddress] });
    expect(outcome.status).toBe("IGNORED");
    expect(row).toMatchObject({ status: "IGNORED", ticketId: null });
    expect(row.reason).toMatch(/X-Loop/);
    expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(messagesBefore);
    expect(bus.events).toEqual([]);
  });
});

describe("reopen rules", () => {
  async function resolvedTicket(status: "RESOLVED" | "CLOSED") {
    const t = await portalTicket("Se resolvió");
    const actor = status === "RESOLVED" ? (await makeUser("AGENT")).id : t.customer.id;
    await (await callerFor(t.setupDeps, actor)).ticket.setStatus({ ticketId: t.ticket.id, status });
    return t;
  }
  const replyFrom = (email: string, to: string, body: string) => rawMail({ from: email, to, subject: "Re: Se resolvió", messageId: `<again-${uniq()}@cliente.test>`, body });

  it("a reply to a RESOLVED ticket inside the window reopens it (OPEN, STATUS_CHANGED)", async () => {
    const { customer, ticket, tokenAddress } = await resolvedTicket("RESOLVED");
    const { deps, bus, clock } = inboundDeps(store);
    clock.advance(71 * HOUR);
    const { outcome } = await receive(deps, replyFrom(customer.email, tokenAddress, "Volvió a pasar."), { from: customer.email, to: [tokenAddress] });
    expect(outcome).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, created: false });
    const { ticket: after, message } = await processedTicket(outcome);
    expect(after).toMatchObject({ status: "OPEN", resolvedAt: null });
    const changes = after.events.filter((e) => e.type === "STATUS_CHANGED");
    expect(changes.at(-1)).toMatchObject({ fromValue: "RESOLVED", toValue: "OPEN", actorId: customer.id });
    expect(bus.events).toEqual([
      { type: "message.created", ticketId: ticket.id, number: ticket.number, requesterId: customer.id, messageId: message.id, internal: false, emailIds: [] },
      { type: "ticket.updated", ticketId: ticket.id, number: ticket.number, requesterId: customer.id, emailIds: [] },
    ]);
  });

  it("after the window it opens a new ticket pointing at the old one", async () => {
    const { customer, ticket, tokenAddress } = await resolvedTicket("RESOLVED");
    const { deps, bus, clock } = inboundDeps(store);
    clock.advance(73 * HOUR);
    const { outcome } = await receive(deps, replyFrom(customer.email, tokenAddress, "Pasó de nuevo, una semana después."), { from: customer.email, to: [tokenAddress] });
    expect(outcome).toMatchObject({ status: "PROCESSED", created: true });
    const { ticket: followUp } = await processedTicket(outcome);
    expect(followUp.id).not.toBe(ticket.id);
    expect(followUp).toMatchObject({ parentTicketId: ticket.id, requesterId: customer.id, channel: "EMAIL", status: "OPEN" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("RESOLVED");
    expect(bus.events.map((e) => e.type)).toEqual(["ticket.created"]);
    // The follow-up is a ticket like any other: its confirmation (with its own reply token) is staged.
    const staged = await db.outboundEmail.findMany({ where: { ticketId: followUp.id } });
    expect(staged).toMatchObject([{ kind: "ticket_created", to: customer.email, replyTo: `soporte+${followUp.replyToken}@ventanilla.test` }]);
  });

  it("a reply to a CLOSED ticket opens a new ticket with parentTicketId set", async () => {
    const { customer, ticket, tokenAddress } = await resolvedTicket("CLOSED");
    const { deps } = inboundDeps(store);
    const { outcome } = await receive(deps, replyFrom(customer.email, tokenAddress, "Una pregunta más."), { from: customer.email, to: [tokenAddress] });
    expect(outcome).toMatchObject({ status: "PROCESSED", created: true });
    const { ticket: followUp } = await processedTicket(outcome);
    expect(followUp.parentTicketId).toBe(ticket.id);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("CLOSED");
    expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(1);
  });
});

describe("rate limit", () => {
  it("with newTicketsPerHour 2, the third new-ticket mail from one sender in the hour is HELD; replies still thread", async () => {
    const from = customerAddress(uniq());
    const { deps, bus, clock } = inboundDeps(store, { newTicketsPerHour: 2 });
    const mail = (n: number) => rawMail({ from, subject: `Pedido ${n}`, messageId: `<rl-${n}-${uniq()}@cliente.test>`, body: `Consulta ${n}` });
    const r1 = await receive(deps, mail(1), { from });
    clock.advance(10 * 60_000);
    const r2 = await receive(deps, mail(2), { from });
    clock.advance(10 * 60_000);
    const r3 = await receive(deps, mail(3), { from });
    expect([r1, r2, r3].map((r) => r.outcome.status)).toEqual(["PROCESSED", "PROCESSED", "HELD"]);
    expect(r3.row.status).toBe("HELD");
    expect(r3.row.reason).toMatch(/rate limit/);
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(2);
    expect(bus.events.filter((e) => e.type === "ticket.created")).toHaveLength(2);

    // A reply to one of its tickets is not a new ticket, so it is not held.
    const first = await db.ticket.findUniqueOrThrow({ where: { id: (r1.outcome as { ticketId: string }).ticketId } });
    const token = `soporte+${first.replyToken}@ventanilla.test`;
    const reply = await receive(deps, rawMail({ from, to: token, subject: "Re: Pedido 1", messageId: `<rl-r-${uniq()}@cliente.test>`, body: "Más datos" }), { from, to: [token] });
    expect(reply.outcome).toMatchObject({ status: "PROCESSED", ticketId: first.id });

    // An hour after the first two, the sender may open tickets again.
    clock.advance(61 * 60_000);
    const r4 = await receive(deps, mail(4), { from });
    expect(r4.outcome).toMatchObject({ status: "PROCESSED", created: true });
  });
});

describe("durability: reconciler and the real BullMQ worker", () => {
  let redis: Redis;
  let queue: Queue<InboundJob>;
  let worker: ReturnType<typeof startInboundWorker>;
  let deadIntake: Intake;
  let wdeps: InboundDeps;
  let wclock: ReturnType<typeof inboundDeps>["clock"];
  /** Storage trouble the worker meets: reads that fail (a blip), writes of attachments that fail (disk full). */
  const storage = { readFailures: 0, attachmentsFull: false };
  const signal = new EventEmitter();
  const done: Array<{ jobId: string; name: string; state: "completed" | "failed"; returnvalue?: unknown; error?: string; attemptsMade: number }> = [];
  const workerLog: string[] = [];

  beforeAll(async () => {
    redis = createRedis("producer", env.REDIS_URL);
    queue = createInboundQueue(redis, env.REDIS_PREFIX);
    const made = inboundDeps(store);
    wclock = made.clock;
    const flaky: BlobStore = {
      ...store,
      read: (key) => {
        if (storage.readFailures > 0) {
          storage.readFailures--;
          const failing = new PassThrough();
          process.nextTick(() => failing.destroy(new Error("storage unavailable (ETIMEDOUT)")));
          return failing;
        }
        return store.read(key);
      },
      put: async (prefix, source) => {
        if (prefix === "att" && storage.attachmentsFull) throw new Error("ENOSPC: no space left on device");
        return store.put(prefix, source);
      },
    };
    wdeps = { ...made.deps, store: flaky };
    worker = startInboundWorker(env, withInboundQueue(wdeps, queue), lineLogger((l) => workerLog.push(l)));
    worker.worker.on("completed", (job, returnvalue) => {
      done.push({ jobId: job.id!, name: job.name, state: "completed", returnvalue, attemptsMade: job.attemptsMade });
      signal.emit("job");
    });
    worker.worker.on("failed", (job, err) => {
      if (job) done.push({ jobId: job.id!, name: job.name, state: "failed", error: err.message, attemptsMade: job.attemptsMade });
      signal.emit("job");
    });
    await withTimeout(worker.worker.waitUntilReady(), "the inbound worker to connect");
    // A listener whose enqueue fails, as when Redis is down at the moment of the 250.
    deadIntake = await startIntake({
      store,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
      enqueue: async () => {
        throw new Error("Redis is down");
      },
    });
    cleanups.push(async () => {
      await deadIntake.close();
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      redis.disconnect();
    });
  });

  const jobDone = (jobId: string, state: "completed" | "failed" = "completed", nth = 1, timeoutMs = 15_000) =>
    waitUntil(signal, "job", () => done.filter((j) => j.jobId === jobId && j.state === state)[nth - 1], `job ${jobId} ${state} #${nth}`, timeoutMs);

  async function deliverLost(tag: string) {
    const from = customerAddress(tag);
    const raw = rawMail({ from, subject: `Perdido ${tag}`, messageId: `<lost-${tag}@cliente.test>`, body: "¿Llegó?" });
    const res = await sendRaw(deadIntake.port, { from, to: [SUPPORT] }, raw);
    // Stored and acknowledged although the queue was unreachable.
    expect(res).toMatchObject({ ok: true, code: 250 });
    const id = res.id!;
    await waitUntil(deadIntake.signal, "log", () => deadIntake.log.find((l) => l.includes(id) && l.includes("Redis is down")), "the enqueue failure log");
    expect(await queue.getJob(`inbound-${id}`)).toBeUndefined();
    expect(await db.inboundMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "RECEIVED", attempts: 0 });
    return { id, from };
  }

  it("a stored mail whose job was never enqueued is found by the reconciler and processed by the worker exactly once", async () => {
    const { id, from } = await deliverLost(uniq());

    // Fresh mail may still be on its way to the queue: the reconciler leaves it alone.
    const early = await queue.add("reconcile", { kind: "reconcile" });
    await jobDone(early.id!);
    expect(await queue.getJob(`inbound-${id}`)).toBeUndefined();

    // Past the grace period, the scheduled reconcile job finds it and the worker processes it.
    wclock.advance(31_000);
    const late = await queue.add("reconcile", { kind: "reconcile" });
    const rec = await jobDone(late.id!);
    expect(rec.returnvalue).toBeGreaterThanOrEqual(1);
    const processed = await jobDone(`inbound-${id}`);
    expect(processed.returnvalue).toBe("PROCESSED");

    const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "PROCESSED", attempts: 1 });
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(1);

    // Enqueued twice more (the SMTP handler retrying, the reconciler again): still one ticket.
    const enqueue = inboundEnqueuer(queue);
    await Promise.all([enqueue([id]), enqueue([id])]);
    await jobDone((await queue.add("reconcile", { kind: "reconcile" })).id!);
    // And if the job does run again (its completed record expired), the worker skips the finished row.
    await queue.remove(`inbound-${id}`);
    await enqueue([id]);
    const rerun = await jobDone(`inbound-${id}`, "completed", 2);
    expect(rerun.returnvalue).toBe("SKIPPED");
    expect(done.filter((j) => j.jobId === `inbound-${id}` && j.returnvalue === "PROCESSED")).toHaveLength(1);
    expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(1);
    expect(await db.message.count({ where: { emailMessageId: row.dedupeKey! } })).toBe(1);
    expect((await db.inboundMail.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);
    expect(workerLog.filter((l) => l.includes(id))).toEqual([]);
  });

  it("a storage blip while reading the raw mail is retried by the queue, not recorded as UNPROCESSABLE", async () => {
    const { id } = await deliverLost(uniq());
    storage.readFailures = 1;
    await inboundEnqueuer(queue)([id]);
    const first = await waitUntil(signal, "job", () => done.find((j) => j.jobId === `inbound-${id}`), `the first run of inbound-${id}`);
    const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
    // The first run must fail (so BullMQ retries it), not settle the mail for good.
    expect({ state: first.state, returnvalue: first.returnvalue, status: row.status, reason: row.reason }).toMatchObject({ state: "failed", status: "RECEIVED" });
    const last = await jobDone(`inbound-${id}`);
    expect(last.returnvalue).toBe("PROCESSED");
    expect(await db.inboundMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "PROCESSED" });
  });

  it(
    "a mail whose job used up its attempts (attachment storage full) is processed once the reconciler runs after the outage",
    async () => {
      const tag = uniq();
      const from = customerAddress(tag);
      const raw = crlf(
        [
          `From: ${from}`,
          `To: ${SUPPORT}`,
          "Subject: Con adjunto",
          `Message-ID: <full-${tag}@cliente.test>`,
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed; boundary="B"',
          "",
          "--B",
          "Content-Type: text/plain; charset=utf-8",
          "",
          "Adjunto el contrato.",
          "--B",
          'Content-Type: application/pdf; name="contrato.pdf"',
          "Content-Transfer-Encoding: base64",
          "",
          Buffer.from("%PDF-1.4 contrato").toString("base64"),
          "--B--",
        ].join("\n"),
      );
      const res = await sendRaw(deadIntake.port, { from, to: [SUPPORT] }, raw);
      expect(res).toMatchObject({ ok: true, code: 250 });
      const id = res.id!;
      storage.attachmentsFull = true;
      await inboundEnqueuer(queue)([id]);
      // attempts: 5 with exponential backoff from 1 s: about 15 s until the job has failed for good.
      const last = await jobDone(`inbound-${id}`, "failed", 5, 40_000);
      expect(last.error).toContain("ENOSPC");
      expect(await db.inboundMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "RECEIVED", attempts: 5 });

      // The disk is freed; the reconciler (every 30 s in production) finds the mail still RECEIVED.
      storage.attachmentsFull = false;
      wclock.advance(31_000);
      const rec = await jobDone((await queue.add("reconcile", { kind: "reconcile" })).id!);
      expect(rec.returnvalue).toBeGreaterThanOrEqual(1);
      const row = await eventually(
        async () => {
          const r = await db.inboundMail.findUniqueOrThrow({ where: { id } });
          return r.status === "RECEIVED" ? undefined : r;
        },
        "the reconciled mail to be processed",
        8_000,
      ).catch(async (err: Error) => {
        const job = await queue.getJob(`inbound-${id}`);
        throw new Error(`${err.message}; the queue still holds job inbound-${id} in state ${await job?.getState()}, so the reconciler's enqueue was a no-op`);
      });
      expect(row.status).toBe("PROCESSED");
      expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(1);
    },
    60_000,
  );
});
