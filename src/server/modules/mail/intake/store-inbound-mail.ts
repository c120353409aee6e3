import type { Readable } from "node:stream";
import type { Clock } from "~/server/clock";
import { sqlOf, type Db } from "~/server/db/client";
import type { BlobStore } from "../../storage/blob-store";
import { insertInboundMail } from "../inbound-mail-sql";

export interface Envelope {
  from: string | null;
  to: string[];
  source: "smtp" | "imap";
  /** The configured IMAP mailbox the mail was fetched from. */
  imapMailboxId?: string;
  /** The SMTP client's IP address and HELO/EHLO name, for SPF (none for IMAP mail). */
  clientIp?: string | null;
  helo?: string | null;
}

/**
 * Durability first: the raw bytes are on disk (fsynced) and recorded in PostgreSQL before the caller
 * acknowledges the mail (SMTP 250, IMAP \Seen). Only then is it queued for parsing.
 */
export async function storeInboundMail(deps: { db: Db; clock: Clock; store: BlobStore }, raw: Readable | Buffer, envelope: Envelope) {
  const blob = await deps.store.put("raw", raw);
  return insertInboundMail(sqlOf(deps.db), {
    storageKey: blob.key,
    sha256: blob.sha256,
    size: blob.size,
    envelopeFrom: envelope.from,
    envelopeTo: envelope.to,
    source: envelope.source,
    imapMailboxId: envelope.imapMailboxId ?? null,
    clientIp: envelope.clientIp ?? null,
    helo: envelope.helo ?? null,
    receivedAt: deps.clock.now(),
  });
}
