import type { Readable } from "node:stream";
import { MailParser, type AttachmentStream, type MessageText, type ParsedMail } from "mailparser";
import type { BlobStore, StoredBlob } from "../storage/blob-store";

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
}

const HEADER_FIELDS = ["subject", "references", "to", "from", "cc", "message-id", "in-reply-to"] as const;

/**
 * Parses a raw mail from a stream. Attachments are streamed straight into the blob store (never
 * held whole in memory), so a 20 MB mail costs the worker little more than a small one. `cid:`
 * links stay as they are, for the caller to point at the stored attachments.
 */
export function parseMailStreaming(source: Readable, store: BlobStore, maxAttachmentBytes: number): Promise<ParsedInbound> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({ skipTextToHtml: true });
    const mail: Partial<MailView> & { headers?: ParsedMail["headers"] } = {};
    const attachments: ParsedAttachment[] = [];
    let attachmentBytes = 0;
    let overLimit = false;
    let pending = Promise.resolve();
    let failed = false;

    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      source.destroy();
      parser.destroy();
      void Promise.all(attachments.map((a) => store.remove(a.blob.key))).finally(() => reject(err));
    };

    const takeAttachment = (att: AttachmentStream) => {
      const done = (blob?: StoredBlob) => {
        if (blob) {
          attachmentBytes += blob.size;
          attachments.push({ blob, filename: att.filename, contentType: att.contentType, cid: att.contentId?.replace(/^<|>$/g, "") });
          if (attachmentBytes > maxAttachmentBytes) overLimit = true;
        }
        att.release?.();
      };
      if (overLimit) {
        // Past the limit: read and drop, only to keep parsing the rest of the mail.
        att.content.on("data", (c: Buffer) => (attachmentBytes += c.length));
        att.content.on("end", () => done());
        return;
      }
      pending = pending.then(() => store.put("att", att.content)).then(done, (err: Error) => fail(Object.assign(err, { source: "storage" })));
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
    // A read error is the storage's, not the mail's: the caller retries those later.
    source.on("error", (err) => fail(Object.assign(err, { source: "storage" })));
    parser.on("end", () => {
      void pending.then(async () => {
        if (failed) return;
        if (overLimit || attachmentBytes > maxAttachmentBytes) {
          overLimit = true;
          await Promise.all(attachments.map((a) => store.remove(a.blob.key)));
          attachments.length = 0;
        }
        const h = mail.headers ?? new Map();
        const view = { ...mail, headers: h } as MailView & Record<string, unknown>;
        for (const key of HEADER_FIELDS) {
          if (h.has(key)) view[key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = h.get(key);
        }
        resolve({ mail: view, attachments, attachmentBytes, overLimit });
      }, fail);
    });
    source.pipe(parser);
  });
}
