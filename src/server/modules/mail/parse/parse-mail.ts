import type { Readable } from "node:stream";
import { MailParser, type AttachmentStream, type MessageText, type ParsedMail } from "mailparser";
import type { BlobStore, StoredBlob } from "../../storage/blob-store";
import { AttachmentDiverter, DIVERTED_HEADER } from "./divert-attachments";
import { MimeLineGuard } from "./mime-line-guard";

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
  /**
   * The mail had more parts than are read: attachments past MAX_ATTACHMENTS were not kept, and past
   * MAX_MIME_LINES part delimiters the rest of the mail was not read at all (see below).
   */
  tooManyParts: boolean;
  /** Attachments not kept because of MAX_ATTACHMENTS (not counting those after a cut). */
  droppedParts: number;
}

/**
 * Limits that keep a hostile mail from stalling a worker, every one of them measured in
 * tests/security/hostile-mail.test.ts. The mail is always kept (the raw original stays in storage):
 * - the first MAX_ATTACHMENTS attachments are stored, later ones are read and dropped (a file and an
 *   fsync each would make 5,000 tiny parts cost seconds);
 * - after MAX_MIME_LINES lines starting with "--" (part delimiters) the parser reads no further,
 *   which stays under mailparser's own limit (MAX_CHILD_NODES), past which it fails the whole mail;
 * - HTML longer than MAX_HTML_TO_TEXT characters is not turned into text by mailparser's html-to-text
 *   (~0.2 s per MB); the text is then a plain strip of its beginning (htmlPreviewText).
 */
export const MAX_ATTACHMENTS = 200;
export const MAX_MIME_LINES = 1000;
const MAX_CHILD_NODES = 2 * MAX_MIME_LINES;
export const MAX_HTML_TO_TEXT = 1024 * 1024;

const HEADER_FIELDS = ["subject", "references", "to", "from", "cc", "message-id", "in-reply-to"] as const;

/**
 * Parses a raw mail. Attachments are streamed straight into the blob store (never held whole in
 * memory), so a 20 MB mail costs the worker little more than a small one. Base64 attachments are
 * decoded on the side (see divert-attachments.ts); when that cannot be trusted for this mail, the
 * mail is parsed again from `open()` the plain way. `cid:` links stay as they are, for the caller
 * to point at the stored attachments.
 */
export async function parseMailStreaming(open: () => Readable, store: BlobStore, maxAttachmentBytes: number): Promise<ParsedInbound> {
  const diverter = new AttachmentDiverter(store, maxAttachmentBytes, MAX_ATTACHMENTS);
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
    const parser = new MailParser({ skipTextToHtml: true, checksumAlgo: "sha256", maxHtmlLengthToParse: MAX_HTML_TO_TEXT, maxChildNodes: MAX_CHILD_NODES });
    const guard = new MimeLineGuard(MAX_MIME_LINES);
    const mail: Partial<MailView> & { headers?: ParsedMail["headers"] } = {};
    const attachments: ParsedAttachment[] = [];
    let attachmentBytes = 0;
    let overLimit = false;
    /** Attachments the parser reported, in order; past MAX_ATTACHMENTS they are not kept. */
    let seen = 0;
    let droppedParts = 0;
    let textConversionFailed = false;
    let pending = Promise.resolve();
    let failed = false;
    /** A diverted part whose body the parser still saw: its view of the mail is not the diverter's. */
    let mismatch = false;

    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      source.destroy();
      diverter?.destroy();
      guard.destroy();
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
      const tooMany = ++seen > MAX_ATTACHMENTS;
      if (diverted) {
        // The body went to the diverter; the parser's copy must be empty.
        att.content.on("data", (c: Buffer) => (mismatch ||= c.length > 0));
        att.content.on("end", () => att.release?.());
        pending = pending
          .then(() => diverted)
          .then(async (d) => {
            if (!tooMany && !d.skipped) return keep(att, d.blob, d.size);
            // Past the most parts kept: counted (for the size limit), not kept.
            droppedParts++;
            attachmentBytes += d.size;
            if (d.blob) await store.remove(d.blob.key);
          })
          .catch((err: Error) => fail(err));
        return;
      }
      if (overLimit || tooMany) {
        if (tooMany) droppedParts++;
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
        textConversionFailed = !!data.textConversionError;
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
        } else if (guard.cut && diverter) {
          // Parts diverted after the cut never reached the parser.
          await removeAll(store, await diverter.unclaimedBlobs());
        }
        // HTML too long for html-to-text: a plain strip of its beginning stands in for the text.
        if (textConversionFailed && !mail.text?.trim() && typeof mail.html === "string") mail.text = htmlPreviewText(mail.html);
        const h = mail.headers ?? new Map();
        const view = { ...mail, headers: h } as MailView & Record<string, unknown>;
        for (const key of HEADER_FIELDS) {
          if (h.has(key)) view[key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = h.get(key);
        }
        // A cut mail leaves diverted parts after the cut unclaimed, as expected.
        const trusted = !diverter || (!diverter.unsure && (guard.cut || diverter.unclaimed === 0) && !mismatch);
        const tooManyParts = guard.cut || droppedParts > 0;
        resolve({ parsed: { mail: view, attachments, attachmentBytes, overLimit, divertedParts: diverter?.partCount ?? 0, tooManyParts, droppedParts }, trusted });
      }, fail);
    });
    guard.on("error", fail);
    if (diverter) source.pipe(diverter).pipe(guard).pipe(parser);
    else source.pipe(guard).pipe(parser);
  });
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * Text for HTML too long to convert properly: tags of its first MAX_HTML_TO_TEXT characters dropped,
 * common entities decoded, blank runs folded. Linear: `<[^<>]*>` never rescans past the next "<".
 */
export function htmlPreviewText(html: string): string {
  return html
    .slice(0, MAX_HTML_TO_TEXT)
    .replace(/<(script|style)\b[^<>]*>[^<]*<\/\1\s*>/gi, " ")
    .replace(/<(?:br|\/p|\/div|\/tr|\/li|\/h[1-6])\b[^<>]*>/gi, "\n")
    .replace(/<[^<>]*>/g, "")
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
      if (e[0] !== "#") return ENTITIES[e.toLowerCase()] ?? m;
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    })
    .replace(/[ \t\r\f\v]+/g, " ")
    .replace(/ ?\n[\s]*/g, "\n")
    .trim();
}
