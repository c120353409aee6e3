import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
import type { Clock } from "~/server/clock";
import type { Db } from "~/server/db/client";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { isSupportRecipient, type MailboxConfig } from "~/server/modules/mail/trust/support-addresses";
import type { EnqueueInbound } from "~/server/modules/mail/intake/enqueue-inbound";
import { storeInboundMail } from "~/server/modules/mail/intake/store-inbound-mail";

export interface InboundSmtpOptions {
  db: Db;
  clock: Clock;
  store: BlobStore;
  mailbox: MailboxConfig;
  enqueue: EnqueueInbound;
  /** Largest raw message accepted, advertised with SIZE. */
  maxMessageBytes: number;
  maxAttachmentBytes: number;
  /** PEM key and certificate: when given, STARTTLS is offered (opportunistic, on the plain port); absent, it is not. */
  tls?: { key: Buffer; cert: Buffer };
  log?: (line: string) => void;
  /** Told of each mail stored, and of each refusal and why (the metrics count them). */
  onReceived?: () => void;
  onRefused?: (reason: "unknown-recipient" | "too-big" | "storage-failure") => void;
}

function smtpError(message: string, responseCode: number) {
  return Object.assign(new Error(message), { responseCode });
}

/** base64 makes attachments a third larger; headers and text get a little room on top. */
export function rawLimitFor(attachmentBytes: number): number {
  return Math.ceil((attachmentBytes * 4) / 3) + 2 * 1024 * 1024;
}

/** "20 MB", "1.5 MB", "150 KB": a limit under 1 MB must not read "0 MB". */
function humanBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.max(1, Math.floor(bytes / 1024))} KB`;
}

/** The inbound SMTP listener: accepts mail for the support addresses only, and stores it before saying 250. */
export function createInboundSmtpServer(opts: InboundSmtpOptions): SMTPServer {
  const limit = humanBytes(opts.maxAttachmentBytes);
  return new SMTPServer({
    name: "ventanilla",
    banner: "Ventanilla mail intake",
    authOptional: true,
    // Never implicit TLS: given a key and certificate, a client may upgrade with STARTTLS (never required).
    secure: false,
    disabledCommands: opts.tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    size: opts.maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (isSupportRecipient(opts.mailbox, address.address)) return callback();
      opts.onRefused?.("unknown-recipient");
      callback(smtpError(`5.1.1 <${address.address}>: no such mailbox here`, 550));
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      // The peer and its HELO name are kept for SPF, checked when the mail is processed.
      const clientIp = session.remoteAddress || null;
      const helo = session.hostNameAppearsAs || null;
      storeInboundMail(opts, stream, { from: envelopeFrom, to, source: "smtp", clientIp, helo })
        .then(async (id) => {
          if (stream.sizeExceeded) {
            // The bytes were streamed to disk; a refused mail leaves no row behind.
            await opts.db.inboundMail.delete({ where: { id } }).then(async (row) => opts.store.remove(row.storageKey));
            opts.onRefused?.("too-big");
            return callback(
              smtpError(`5.3.4 Message too big: attachments may add up to ${limit}. Send fewer or smaller files, or share a link.`, 552),
            );
          }
          callback(null, `2.0.0 Ok: queued as ${id}`);
          opts.onReceived?.();
          // After the 250: if Redis is down now, the reconciler enqueues it later.
          opts.enqueue([id]).catch((err: Error) => opts.log?.(`enqueue of inbound ${id} failed: ${err.message}`));
        })
        .catch((err: Error) => {
          opts.log?.(`storing inbound mail failed: ${err.message}`);
          opts.onRefused?.("storage-failure");
          // 451: the sender's server keeps the mail and tries again; nothing is lost.
          callback(smtpError("4.3.0 Temporary storage failure, try again later", 451));
        });
    },
  });
}
