import type { Readable } from "node:stream";
import { MailParser, type AttachmentStream, type MessageText, type ParsedMail } from "mailparser";
import type { BlobStore, StoredBlob } from "../storage/blob-store";
import { AttachmentDiverter, DIVERTED_HEADER } from "./divert-attachments";

/** The parts of a parsed mail the pipeline reads (a subset of mailparser's ParsedMail). */
export type MailView = Pick<ParsedMail, "headers" | "from" | "to" | "cc" | "subject" | "messageId" | "inReplyTo" | "references" | "text" | "html">;

export interface ParsedAttachment {
  blob: StoredBlob;
  filename?: string;
  contentType: string;
  cid?: string;
}

export interface ParsedInbound {
  mail: MailView;
  attachments: ParsedAttachment[];
  attachmentBytes: number;
  /** Attachments added up to more than the limit; none were kept. */
  overLimit: boolean;
  /** Base64 attachments decoded on the side (0 when the mail was parsed the plain way). */
  divertedParts: number;
}

const HEADER_FIELDS = ["subject", "references", "to", "from", "cc", "message-id", "in-reply-to"] as const;

/**
 * Parses a raw mail. Attachments are streamed straight into the blob store (never held whole in
 * memory), so a 20 MB mail costs the worker little more than a small one. Base64 attachments are
 * decoded on the side (see divert-attachments.ts); when that cannot be trusted for this mail, the
 * mail is parsed again from `open()` the plain way. `cid:` links stay as they are, for the caller
 * to point at the stored attachments.
 */
export async function parseMailStreaming(open: () => Readable, store: BlobStore, maxAttachmentBytes: number): Promise<ParsedInbound> {
  const diverter = new AttachmentDiverter(store, maxAttachmentBytes);
  let first: { parsed: ParsedInbound; trusted: boolean };
  try {
    first = await parseOnce(open(), store, maxAttachmentBytes, diverter);
  } catch (err) {
    await removeAll(store, await diverter.storedBlobs());
    throw err;
  }
  if (first.trusted) return first.parsed;
  await removeAll(store, [...first.parsed.attachments.map((a) => a.blob), ...(await diverter.storedBlobs())]);
  return (await parseOnce(open(), store, maxAttachmentBytes, null)).parsed;
}

async function removeAll(store: BlobStore, blobs: StoredBlob[]) {
  await Promise.all([...new Set(blobs.map((b) => b.key))].map((key) => store.remove(key)));
}

function parseOnce(
  source: Readable,
  store: BlobStore,
  maxAttachmentBytes: number,
  diverter: AttachmentDiverter | null,
): Promise<{ parsed: ParsedInbound; trusted: boolean }> {
  return new Promise((resolve, reject) => {
    // The parser hashes each attachment as it decodes it (SHA-256 instead of its default MD5): the
    // blob store then need not make a second pass over the bytes.
    const parser = new MailParser({ skipTextToHtml: true, checksumAlgo: "sha256" });
    const mail: Partial<MailView> & { headers?: ParsedMail["headers"] } = {};
    const attachments: ParsedAttachment[] = [];
    let attachmentBytes = 0;
    let overLimit = false;
    let pending = Promise.resolve();
    let failed = false;
    /** A diverted part whose body the parser still saw: its view of the mail is not the diverter's. */
    let mismatch = false;

    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      source.destroy();
      diverter?.destroy();
      parser.destroy();
      void Promise.all(attachments.map((a) => store.remove(a.blob.key))).finally(() => reject(err));
    };

    const keep = (att: AttachmentStream, blob: StoredBlob | null, size: number) => {
      attachmentBytes += size;
      if (blob) attachments.push({ blob, filename: att.filename, contentType: att.contentType, cid: att.contentId?.replace(/^<|>$/g, "") });
      if (!blob || attachmentBytes > maxAttachmentBytes) overLimit = true;
    };

    const takeAttachment = (att: AttachmentStream) => {
      const marker = att.headers.get(DIVERTED_HEADER);
      const diverted = typeof marker === "string" ? diverter?.claim(marker) : null;
      if (diverted) {
        // The body went to the diverter; the parser's copy must be empty.
        att.content.on("data", (c: Buffer) => (mismatch ||= c.length > 0));
        att.content.on("end", () => att.release?.());
        pending = pending.then(() => diverted).then((d) => keep(att, d.blob, d.size), (err: Error) => fail(err));
        return;
      }
      if (overLimit) {
        // Past the limit: read and drop, only to keep parsing the rest of the mail.
        att.content.on("data", (c: Buffer) => (attachmentBytes += c.length));
        att.content.on("end", () => att.release?.());
        return;
      }
      pending = pending
        .then(() => store.put("att", att.content, { sha256: () => att.checksum }))
        .then(
          (blob) => {
            keep(att, blob, blob.size);
            att.release?.();
          },
          (err: Error) => fail(Object.assign(err, { source: "storage" })),
        );
    };

    parser.on("headers", (headers) => {
      mail.headers = headers;
    });
    parser.on("data", (data: AttachmentStream | MessageText) => {
      if (data.type === "text") {
        mail.text = data.text;
        mail.html = typeof data.html === "string" ? data.html : undefined;
      } else {
        takeAttachment(data);
      }
    });
    parser.on("error", fail);
    diverter?.on("error", fail);
    // A read error is the storage's, not the mail's: the caller retries those later.
    source.on("error", (err) => fail(Object.assign(err, { source: "storage" })));
    parser.on("end", () => {
      void pending.then(async () => {
        if (failed) return;
        if (overLimit || attachmentBytes > maxAttachmentBytes) {
          overLimit = true;
          await removeAll(store, [...attachments.map((a) => a.blob), ...((await diverter?.storedBlobs()) ?? [])]);
          attachments.length = 0;
        }
        const h = mail.headers ?? new Map();
        const view = { ...mail, headers: h } as MailView & Record<string, unknown>;
        for (const key of HEADER_FIELDS) {
          if (h.has(key)) view[key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = h.get(key);
        }
        const trusted = !diverter || (!diverter.unsure && diverter.unclaimed === 0 && !mismatch);
        resolve({ parsed: { mail: view, attachments, attachmentBytes, overLimit, divertedParts: diverter?.partCount ?? 0 }, trusted });
      }, fail);
    });
    if (diverter) source.pipe(diverter).pipe(parser);
    else source.pipe(parser);
  });
}
