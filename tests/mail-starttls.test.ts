// Opportunistic STARTTLS on the inbound SMTP listener, against the production listener
// (createInboundSmtpServer) with a throwaway self-signed key and certificate made by the real openssl
// binary: what EHLO advertises with and without them, the handshake presenting that certificate,
// nodemailer with requireTLS and swaks --tls delivering mail that is stored byte for byte as plain
// mail is, and the workers process refusing to start on half or broken TLS settings.
import { execFile, spawn } from "node:child_process";
import { createHash, randomUUID, X509Certificate } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { promisify } from "node:util";
import nodemailer from "nodemailer";
import type { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInboundSmtpServer } from "~/server/adapters/smtp-server/inbound-smtp-server";
import type { EnqueueInbound } from "~/server/modules/mail/intake/enqueue-inbound";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { db, testDeps } from "./support/fixtures";
import { SUPPORT, mailbox, rawMail, sendRaw, smtpDialog, startIntake, swaks, swaksReplies, type Intake } from "./support/inbound-mail";
import { waitUntil, withTimeout } from "./support/wait";
import { uniq } from "./support/uniq";

const run = promisify(execFile);
const MAX_MESSAGE_BYTES = 200 * 1024;
const MAX_ATTACHMENT_BYTES = 150 * 1024;

let dir: string;
let store: BlobStore;
let keyPath: string;
let certPath: string;
let otherKeyPath: string;
let certPem: Buffer;
/** The listener without TLS settings, exactly as before (startIntake). */
let plain: Intake;
/** The same listener given the key and certificate. */
let tlsIntake: { port: number; server: SMTPServer; enqueuedId(id: string): Promise<string>; close(): Promise<void> };
const storedIds: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-starttls-"));
  store = localBlobStore(path.join(dir, "storage"));
  keyPath = path.join(dir, "key.pem");
  certPath = path.join(dir, "cert.pem");
  otherKeyPath = path.join(dir, "other-key.pem");
  const openssl = (keyOut: string, certOut: string) =>
    run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", keyOut, "-out", certOut]);
  await Promise.all([openssl(keyPath, certPath), openssl(otherKeyPath, path.join(dir, "other-cert.pem"))]);
  certPem = await readFile(certPath);

  plain = await startIntake({ store, maxMessageBytes: MAX_MESSAGE_BYTES, maxAttachmentBytes: MAX_ATTACHMENT_BYTES });

  const { deps } = testDeps();
  const enqueued: string[] = [];
  const signal = new EventEmitter();
  const enqueue: EnqueueInbound = async (ids) => {
    enqueued.push(...ids);
    signal.emit("enqueued");
  };
  const server = createInboundSmtpServer({
    db: deps.db,
    clock: deps.clock,
    store,
    mailbox,
    enqueue,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
    tls: { key: await readFile(keyPath), cert: certPem },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
  });
  tlsIntake = {
    port,
    server,
    enqueuedId: (id) => waitUntil(signal, "enqueued", () => enqueued.find((x) => x === id), `enqueue of inbound ${id}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});

afterAll(async () => {
  try {
    await plain?.close();
    await tlsIntake?.close();
    if (storedIds.length) await db.inboundMail.deleteMany({ where: { id: { in: storedIds } } });
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const ehloLines = (reply: string) => reply.split("\n").map((l) => l.slice(4));

/** The stored row and raw bytes of a mail, without what differs between any two mails (id, storage key). */
async function stored(id: string) {
  storedIds.push(id);
  const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
  const bytes = await store.readBuffer(row.storageKey);
  const { status, envelopeFrom, envelopeTo, source, size, sha256, attempts, reason, ticketId } = row;
  return { row: { status, envelopeFrom, envelopeTo, source, size, sha256, attempts, reason, ticketId }, bytes };
}

/**
 * A TCP relay in front of a listener that keeps every byte the client sent, to see what crossed
 * the wire in clear.
 */
async function wiretap(targetPort: number) {
  const fromClient: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.on("data", (d: Buffer) => fromClient.push(d));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sent: () => Buffer.concat(fromClient),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** nodemailer insisting on STARTTLS (as a careful MTA would), self-signed certificate accepted. Keeps nodemailer's log lines. */
async function sendRequiringTls(port: number, envelope: { from: string; to: string[] }, raw: string) {
  const logged: string[] = [];
  const line = (_entry: unknown, message: string) => logged.push(String(message));
  const logger = { level: () => {}, trace: line, debug: line, info: line, warn: line, error: line, fatal: line };
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    connectionTimeout: 5000,
    logger,
  });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { ok: true as const, response: info.response, id: /queued as (\S+)/.exec(info.response)?.[1], logged };
  } catch (err) {
    return { ok: false as const, response: (err as Error).message, id: undefined, logged };
  } finally {
    transport.close();
  }
}

/** swaks with --tls: STARTTLS is required, the certificate is not verified (self-signed). */
function swaksTls(port: number, envelope: { from: string; to: string }, raw: string): Promise<{ exitCode: number; transcript: string; id: string | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "/usr/bin/swaks",
      ["--server", "127.0.0.1", "--port", String(port), "--tls", "--from", envelope.from, "--to", envelope.to, "--data", "-", "--helo", "client.example.test", "--timeout", "10"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("latin1")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("latin1")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? -1, transcript: out, id: /queued as (\S+)/.exec(out)?.[1] }));
    child.stdin.end(raw);
  });
}

/** EHLO, STARTTLS and a TLS handshake by hand: the certificate the listener presents, and its EHLO inside TLS. */
async function starttlsHandshake(port: number) {
  const socket = connect(port, "127.0.0.1");
  let buffer = "";
  const reply = (from: Socket | TLSSocket) =>
    withTimeout(
      new Promise<string>((resolve) => {
        const onData = (chunk: Buffer) => {
          buffer += chunk.toString("latin1");
          const m = /(?:^|\r\n)\d{3} [^\r\n]*\r\n$/.exec(buffer);
          if (!m) return;
          from.off("data", onData);
          const text = buffer;
          buffer = "";
          resolve(text.trimEnd());
        };
        from.on("data", onData);
      }),
      "an SMTP reply",
    );
  try {
    expect(await reply(socket)).toMatch(/^220 /);
    socket.write("EHLO mx.cliente.test\r\n");
    expect(await reply(socket)).toMatch(/STARTTLS/);
    socket.write("STARTTLS\r\n");
    const ready = await reply(socket);
    const secure = tlsConnect({ socket, servername: "localhost", rejectUnauthorized: false });
    await withTimeout(new Promise<void>((resolve, reject) => secure.once("secureConnect", resolve).once("error", reject)), "the TLS handshake");
    const peer = secure.getPeerX509Certificate();
    secure.write("EHLO mx.cliente.test\r\n");
    const ehloInside = await reply(secure);
    secure.write("QUIT\r\n");
    const quit = await reply(secure);
    const protocol = secure.getProtocol();
    secure.destroy();
    return { ready, protocol, fingerprint: peer?.fingerprint256, subject: peer?.subject, ehloInside, quit };
  } finally {
    socket.destroy();
  }
}

describe("STARTTLS on the inbound SMTP listener", () => {
  it("EHLO advertises STARTTLS when a key and certificate are configured, and not otherwise (AUTH never)", async () => {
    const withTls = await smtpDialog(tlsIntake.port, ["EHLO mx.cliente.test", "QUIT"]);
    const without = await smtpDialog(plain.port, ["EHLO mx.cliente.test", "STARTTLS", "QUIT"]);
    expect(ehloLines(withTls[1]!)).toContain("STARTTLS");
    expect(ehloLines(without[1]!)).not.toContain("STARTTLS");
    // Everything else in the greeting is the same (SIZE, PIPELINING, 8BITMIME, ...), and AUTH is in neither.
    expect(ehloLines(withTls[1]!).filter((l) => l !== "STARTTLS")).toEqual(ehloLines(without[1]!));
    expect(withTls[1]).not.toMatch(/AUTH/);
    expect(withTls[1]).toContain(`SIZE ${MAX_MESSAGE_BYTES}`);
    // The unconfigured listener refuses the command itself, as it always did.
    expect(without[2]).toMatch(/^5\d\d /);
  });

  it("the upgrade presents the configured certificate (not smtp-server's built-in one), and STARTTLS is not offered again inside TLS", async () => {
    const h = await starttlsHandshake(tlsIntake.port);
    expect(h.ready).toMatch(/^220 /);
    expect(h.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(h.fingerprint).toBe(new X509Certificate(certPem).fingerprint256);
    expect(h.subject).toContain("CN=localhost");
    expect(h.ehloInside).toMatch(/^250[- ]/);
    expect(ehloLines(h.ehloInside)).not.toContain("STARTTLS");
    expect(h.quit).toMatch(/^221 /);
  });

  it("nodemailer with requireTLS delivers over STARTTLS, and the mail is stored exactly as the same mail sent in clear", async () => {
    const tag = uniq();
    const from = `cliente-${tag}@cliente.test`;
    const marker = `secreto-${tag}`;
    const raw = rawMail({ from: `Ana <${from}>`, subject: "Por TLS", messageId: `<tls-${tag}@cliente.test>`, body: `La contraseña del wifi es ${marker}.\nÑandú, acentos: áéíóú.` });

    // The same bytes in clear, to the listener without TLS (what the intake did until now).
    const clearTap = await wiretap(plain.port);
    const inClear = await sendRaw(clearTap.port, { from, to: [SUPPORT] }, raw);
    await clearTap.close();
    expect(inClear, inClear.response).toMatchObject({ ok: true, code: 250 });
    await plain.enqueuedId(inClear.id!);
    expect(clearTap.sent().toString("latin1")).toContain(marker);

    // With requireTLS, through a tap that keeps what the client put on the wire.
    const tap = await wiretap(tlsIntake.port);
    const sent = await sendRequiringTls(tap.port, { from, to: [SUPPORT] }, raw);
    await tap.close();
    expect(sent.ok, sent.response).toBe(true);
    expect(sent.response).toMatch(/^250 .*queued as \S+/);
    expect(sent.logged).toContain("Connection upgraded with STARTTLS");
    await tlsIntake.enqueuedId(sent.id!);
    const wire = tap.sent().toString("latin1");
    expect(wire).toMatch(/^EHLO .*\r\nSTARTTLS\r\n/);
    // Only EHLO and STARTTLS crossed in clear: no envelope, no body.
    expect(wire).not.toContain(marker);
    expect(wire).not.toContain(from);

    const a = await stored(inClear.id!);
    const b = await stored(sent.id!);
    expect(b.row).toEqual(a.row);
    expect(b.row).toMatchObject({ status: "RECEIVED", envelopeFrom: from, envelopeTo: [SUPPORT], source: "smtp", size: Buffer.byteLength(raw), sha256: sha256(raw), attempts: 0 });
    expect(b.bytes.equals(Buffer.from(raw))).toBe(true);
    expect(b.bytes.equals(a.bytes)).toBe(true);
  });

  it("a client that does not upgrade still delivers to the TLS-configured listener (opportunistic, never required)", async () => {
    const tag = uniq();
    const from = `cliente-${tag}@cliente.test`;
    const raw = rawMail({ from, subject: "Sin TLS", messageId: `<notls-${tag}@cliente.test>`, body: "Enviado sin STARTTLS." });
    const res = await sendRaw(tlsIntake.port, { from, to: [SUPPORT] }, raw);
    expect(res, res.response).toMatchObject({ ok: true, code: 250 });
    await tlsIntake.enqueuedId(res.id!);
    const { row, bytes } = await stored(res.id!);
    expect(row).toMatchObject({ status: "RECEIVED", envelopeFrom: from, sha256: sha256(raw) });
    expect(bytes.toString("utf8")).toBe(raw);
  });

  it("requireTLS against the listener without TLS settings fails and stores nothing", async () => {
    const before = await db.inboundMail.count();
    const tag = uniq();
    const raw = rawMail({ from: `x-${tag}@cliente.test`, subject: "x", messageId: `<req-${tag}@cliente.test>`, body: "x" });
    const res = await sendRequiringTls(plain.port, { from: `x-${tag}@cliente.test`, to: [SUPPORT] }, raw);
    expect(res.ok).toBe(false);
    expect(await db.inboundMail.count()).toBe(before);
  });

  it("swaks --tls delivers too, and the mail is stored exactly as the same mail sent by swaks in clear", async () => {
    const tag = uniq();
    const from = `cliente-${tag}@cliente.test`;
    const raw = rawMail({ from: `Beto <${from}>`, subject: "Con swaks y TLS", messageId: `<swaks-tls-${tag}@cliente.test>`, body: "Mensaje cifrado desde swaks." });
    // swaks ends the data with its own CRLF before the final dot: give it the mail without one.
    const data = raw.slice(0, -2);

    const clear = await swaks(plain.port, { from, to: SUPPORT }, data);
    expect(clear.exitCode, clear.transcript).toBe(0);
    expect(clear.transcript).not.toMatch(/STARTTLS/);
    await plain.enqueuedId(clear.id!);

    const s = await swaksTls(tlsIntake.port, { from, to: SUPPORT }, data);
    if (/TLS not available|Net::SSLeay/i.test(s.transcript)) {
      throw new Error("swaks cannot do TLS here: it needs Net::SSLeay (Debian package libnet-ssleay-perl)");
    }
    expect(s.exitCode, s.transcript).toBe(0);
    expect(s.transcript).toMatch(/^ -> STARTTLS$/m);
    expect(s.transcript).toMatch(/^=== TLS started/m);
    // After the upgrade, the envelope travels inside TLS (swaks marks those lines ~>).
    expect(s.transcript).toMatch(/^ ~> MAIL FROM:<cliente-/m);
    expect(swaksReplies(s.transcript).at(-2)).toMatch(/^250 .*queued as/);
    await tlsIntake.enqueuedId(s.id!);

    const a = await stored(clear.id!);
    const b = await stored(s.id!);
    expect(b.row).toEqual(a.row);
    expect(b.row).toMatchObject({ status: "RECEIVED", envelopeFrom: from, envelopeTo: [SUPPORT], source: "smtp", size: Buffer.byteLength(raw), sha256: sha256(raw) });
    expect(b.bytes.toString("utf8")).toBe(raw);
    expect(b.bytes.equals(a.bytes)).toBe(true);
  });
});

describe("the workers process: TLS settings at start-up", () => {
  /** Starts workers/index.ts as `npm run workers` does, expecting it to refuse to start; returns its exit code and output. */
  function startWorkers(extra: Record<string, string>) {
    return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join("workers", "index.ts")], {
        env: { ...process.env, WORKER_PROCESSES: "1", SMTP_INBOUND_TLS_KEY: "", SMTP_INBOUND_TLS_CERT: "", ...extra },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  it("refuses to start with only one of the two settings, naming the missing one", async () => {
    const [onlyKey, onlyCert] = await Promise.all([startWorkers({ SMTP_INBOUND_TLS_KEY: keyPath }), startWorkers({ SMTP_INBOUND_TLS_CERT: certPath })]);
    expect(onlyKey.code, onlyKey.output).toBe(1);
    expect(onlyKey.output).toContain("SMTP_INBOUND_TLS_CERT unset while SMTP_INBOUND_TLS_KEY is set");
    expect(onlyCert.code, onlyCert.output).toBe(1);
    expect(onlyCert.output).toContain("SMTP_INBOUND_TLS_KEY unset while SMTP_INBOUND_TLS_CERT is set");
    expect(onlyKey.output + onlyCert.output).not.toContain("ready:");
  });

  it("refuses to start when a file cannot be read, or the key does not belong to the certificate, naming the paths", async () => {
    const missing = path.join(dir, "no-such-key.pem");
    const [noFile, mismatch] = await Promise.all([
      startWorkers({ SMTP_INBOUND_TLS_KEY: missing, SMTP_INBOUND_TLS_CERT: certPath }),
      startWorkers({ SMTP_INBOUND_TLS_KEY: otherKeyPath, SMTP_INBOUND_TLS_CERT: certPath }),
    ]);
    expect(noFile.code, noFile.output).toBe(1);
    expect(noFile.output).toContain(`failed to start: SMTP_INBOUND_TLS_KEY: cannot read ${missing} (ENOENT)`);
    expect(mismatch.code, mismatch.output).toBe(1);
    expect(mismatch.output).toContain(`SMTP_INBOUND_TLS_KEY ${otherKeyPath} and SMTP_INBOUND_TLS_CERT ${certPath} are not a usable PEM key and certificate pair`);
    expect(noFile.output + mismatch.output).not.toContain("ready:");
  });
});
