// Helpers for the inbound mail tests: a real intake SMTP listener (createInboundSmtpServer) on a free
// port, two real SMTP clients (nodemailer with raw RFC 822 bytes, and swaks), and a raw mail builder.
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { connect, type AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import type { SMTPServer } from "smtp-server";
import type { DnsResolver } from "~/server/modules/mail/trust/authenticate-mail";
import { createInboundSmtpServer } from "~/server/adapters/smtp-server/inbound-smtp-server";
import type { InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import type { EnqueueInbound } from "~/server/modules/mail/intake/enqueue-inbound";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { testDeps } from "./fixtures";
import { waitUntil, withTimeout } from "./wait";

export const SUPPORT = "soporte@ventanilla.test";
export const mailbox = { supportAddresses: [SUPPORT] };

export type Limits = InboundDeps["limits"];
export const defaultLimits: Limits = { maxAttachmentBytes: 150 * 1024, newTicketsPerHour: 1000 };

/** A DNS with no records at all (every name ENOTFOUND): tests never ask the machine's DNS. */
export const noDns: DnsResolver = async (name) => {
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
};

/** testDeps() (recording bus, fixed clock) plus what the inbound pipeline needs; `dns` defaults to `noDns`. */
export function inboundDeps(store: BlobStore, limits: Partial<Limits> = {}, dns: InboundDeps["dns"] = { resolver: noDns }) {
  const { deps, bus, clock } = testDeps();
  const inbound: InboundDeps = { ...deps, store, mailbox, limits: { ...defaultLimits, ...limits }, dns };
  return { deps: inbound, bus, clock };
}

export interface Intake {
  port: number;
  server: SMTPServer;
  /** Ids handed to `enqueue`, in order. */
  enqueued: string[];
  /** Lines the listener logged. */
  log: string[];
  signal: EventEmitter;
  /** Resolves once `enqueue` was called with this id. */
  enqueuedId(id: string): Promise<string>;
  close(): Promise<void>;
}

/** The production listener on 127.0.0.1:0. `enqueue` defaults to one that records the ids. */
export async function startIntake(opts: {
  store: BlobStore;
  maxMessageBytes: number;
  maxAttachmentBytes: number;
  enqueue?: EnqueueInbound;
}): Promise<Intake> {
  const { deps } = testDeps();
  const enqueued: string[] = [];
  const log: string[] = [];
  const signal = new EventEmitter();
  const record: EnqueueInbound = async (ids) => {
    enqueued.push(...ids);
    signal.emit("enqueued");
  };
  const server = createInboundSmtpServer({
    db: deps.db,
    clock: deps.clock,
    store: opts.store,
    mailbox,
    enqueue: opts.enqueue ?? record,
    maxMessageBytes: opts.maxMessageBytes,
    maxAttachmentBytes: opts.maxAttachmentBytes,
    log: (line) => {
      log.push(line);
      signal.emit("log");
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
  });
  return {
    port,
    server,
    enqueued,
    log,
    signal,
    enqueuedId: (id) => waitUntil(signal, "enqueued", () => enqueued.find((x) => x === id), `enqueue of inbound ${id}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SmtpResult {
  ok: boolean;
  /** The final reply code: 250 for an accepted mail, else the refusal's code. */
  code: number | undefined;
  response: string;
  /** The stored InboundMail id, from "250 … queued as <id>". */
  id: string | undefined;
  /** The SMTP command that was refused, when nodemailer says. */
  command?: string;
}

const queuedAs = (response: string) => /queued as (\S+)/.exec(response)?.[1];

/** Sends raw RFC 822 bytes with nodemailer (no rewriting of the message), one connection per mail. */
export async function sendRaw(port: number, envelope: { from: string; to: string[]; size?: number }, raw: string | Buffer): Promise<SmtpResult> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true, connectionTimeout: 5000 });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { ok: true, code: Number(info.response.slice(0, 3)), response: info.response, id: queuedAs(info.response) };
  } catch (err) {
    const e = err as Error & { responseCode?: number; response?: string; command?: string };
    return { ok: false, code: e.responseCode, response: e.response ?? e.message, id: undefined, command: e.command };
  } finally {
    transport.close();
  }
}

/** Sends raw bytes with swaks (a second, independent SMTP client). The transcript is kept for asserting replies. */
export function swaks(port: number, envelope: { from: string; to: string }, raw: string | Buffer): Promise<{ exitCode: number; transcript: string; id: string | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "/usr/bin/swaks",
      ["--server", "127.0.0.1", "--port", String(port), "--from", envelope.from, "--to", envelope.to, "--data", "-", "--helo", "client.example.test", "--timeout", "10"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("latin1")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("latin1")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? -1, transcript: out, id: queuedAs(out) }));
    child.stdin.end(raw);
  });
}

/** Server replies in a swaks transcript ("<~ 250 …" or "<** 550 …"). */
export function swaksReplies(transcript: string): string[] {
  return transcript
    .split(/\r?\n/)
    .filter((l) => /^\s*<(\*\*|~|-)\s+\d{3}[ -]/.test(l))
    .map((l) => l.replace(/^\s*<(\*\*|~|-)\s+/, ""));
}

/** CRLF line endings and a final CRLF, as on the wire. */
export function crlf(text: string): string {
  const t = text.replace(/\r?\n/g, "\r\n");
  return t.endsWith("\r\n") ? t : `${t}\r\n`;
}

export interface MailSpec {
  from: string;
  to?: string;
  subject?: string;
  /** undefined: none at all. */
  messageId?: string;
  date?: string;
  headers?: Record<string, string>;
  contentType?: string;
  transferEncoding?: string;
  body: string;
}

/** A simple single-part mail, exactly as written (no Message-ID unless given). */
export function rawMail(m: MailSpec): string {
  const lines = [`From: ${m.from}`, `To: ${m.to ?? SUPPORT}`];
  if (m.subject !== undefined) lines.push(`Subject: ${m.subject}`);
  lines.push(`Date: ${m.date ?? "Mon, 02 Mar 2026 10:00:00 +0000"}`);
  if (m.messageId !== undefined) lines.push(`Message-ID: ${m.messageId}`);
  for (const [k, v] of Object.entries(m.headers ?? {})) lines.push(`${k}: ${v}`);
  lines.push("MIME-Version: 1.0", `Content-Type: ${m.contentType ?? "text/plain; charset=utf-8"}`, `Content-Transfer-Encoding: ${m.transferEncoding ?? "8bit"}`);
  return crlf(`${lines.join("\n")}\n\n${m.body}`);
}

/**
 * A bare SMTP dialog over a socket, for what the client libraries will not send (nodemailer refuses
 * SIZE= over the advertised limit on its own). Each command's full reply is returned, in order.
 */
export async function smtpDialog(port: number, commands: string[], timeoutMs = 5000): Promise<string[]> {
  const socket = connect(port, "127.0.0.1");
  socket.setEncoding("utf8");
  let buffer = "";
  let lines: string[] = [];
  const complete: string[] = [];
  const waiters: Array<(reply: string) => void> = [];
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\r\n")) >= 0) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 2);
      // "250-…" continues a reply; "250 …" ends it.
      if (/^\d{3}( |$)/.test(lines.at(-1)!)) {
        complete.push(lines.join("\n"));
        lines = [];
      }
    }
    while (complete.length && waiters.length) waiters.shift()!(complete.shift()!);
  });
  const next = () =>
    withTimeout(
      new Promise<string>((resolve) => {
        if (complete.length) resolve(complete.shift()!);
        else waiters.push(resolve);
      }),
      "an SMTP reply",
      timeoutMs,
    );
  try {
    await withTimeout(new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject)), "SMTP connect", timeoutMs);
    const replies = [await next()];
    for (const c of commands) {
      const reply = next();
      socket.write(`${c}\r\n`);
      replies.push(await reply);
    }
    return replies;
  } finally {
    socket.destroy();
  }
}
