import type { Readable } from "node:stream";
import { fileTypeFromBuffer } from "file-type";

/** Enough for file-type to recognise every format it knows. */
export const SNIFF_BYTES = 4100;

/** Types a browser may show in place: images it decodes safely, PDF (its own viewer), plain text. */
export const INLINE_CLAIMS = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"]);

export function normalizeType(contentType: string): string {
  const t = contentType.split(";")[0]!.trim().toLowerCase();
  return t === "image/jpg" || t === "image/pjpeg" ? "image/jpeg" : t;
}

/**
 * The type to show the file inline as, or null to send it as a download. A claimed image or PDF is
 * shown only when its bytes are that format (file-type reads the magic numbers); claimed text only
 * when the bytes are no binary format file-type knows (an HTML or SVG page named .txt stays text:
 * nosniff and the sandbox CSP keep the browser from running it).
 */
export async function inlineType(claimed: string, head: Buffer): Promise<string | null> {
  const type = normalizeType(claimed);
  if (!INLINE_CLAIMS.has(type)) return null;
  const detected = await fileTypeFromBuffer(head);
  if (type === "text/plain") return detected ? null : "text/plain; charset=utf-8";
  return detected?.mime === type ? type : null;
}

/**
 * Reads at least the first `bytes` of a stream (fewer if it is shorter). The caller writes `head`
 * first, then pipes the stream for the rest unless it has `ended`.
 */
export function readHead(stream: Readable, bytes: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (ended: boolean) => {
      stream.off("readable", onReadable);
      stream.off("end", onEnd);
      stream.off("error", reject);
      resolve({ head: Buffer.concat(chunks), ended });
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (size < bytes && (chunk = stream.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (size >= bytes) finish(false);
    };
    const onEnd = () => finish(true);
    stream.on("readable", onReadable);
    stream.once("end", onEnd);
    stream.once("error", reject);
  });
}
