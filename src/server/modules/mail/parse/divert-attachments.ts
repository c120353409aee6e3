import { randomBytes } from "node:crypto";
import { PassThrough, Transform, type TransformCallback } from "node:stream";
import type { BlobStore, StoredBlob } from "../../storage/blob-store";

/**
 * Takes the bodies of base64 attachments out of a raw mail on its way to the MIME parser, decodes
 * them natively and streams them to the blob store. The parser still reads every header and the
 * structure, and sees each such part with an empty body and one added header naming the diverted
 * copy. Why: mailparser walks every byte of a body in JavaScript (~6 ms of CPU per MB), while
 * finding line ends and decoding with Buffer's native code costs under 1 ms per MB, and
 * attachments are nearly all of a mail's bytes.
 *
 * It is an optimisation only, so it is careful rather than clever: anything it is not sure of
 * (an unusual boundary, a body that is not clean base64, a part the parser did not report) makes
 * the caller parse the mail again without it.
 */

/** The header the parser sees on a diverted part: `<nonce>:<index>`. The nonce is new per parse. */
export const DIVERTED_HEADER = "x-ventanilla-diverted";

/** The types mailparser reads as the message's text; they must reach it whole. */
const TEXT_TYPES = new Set(["text/plain", "text/html", "message/delivery-status"]);
const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const SP = 0x20;
const TAB = 0x09;
const NL_DASH_DASH = Buffer.from("\n--");
/** A header line longer than this, or a header block larger, is not a mail we divert anything in. */
const MAX_HEADER_BYTES = 256 * 1024;
const MAX_BOUNDARY_LINE = 1000;

export interface DivertedAttachment {
  /** Decoded bytes. */
  size: number;
  /** Null once the attachments went over the limit: the bytes were counted, not kept. */
  blob: StoredBlob | null;
  /** Past the most parts that are stored (`maxParts`): not kept, and not a matter of size. */
  skipped: boolean;
}

interface Part {
  index: number;
  size: number;
  /** Up to three base64 characters waiting for the rest of their group. */
  carry: string;
  sink: PassThrough | null;
  done: Promise<StoredBlob | null>;
  overLimit: boolean;
  skipped: boolean;
  claimed: boolean;
}

type Mode = "header" | "text" | "base64" | "pass";

/** `--boundary` or `--boundary--`, then only spaces, tabs and the line ending (RFC 2046 5.1.1). */
function delimiterOf(line: Buffer): string | null {
  if (line.length < 3 || line[0] !== DASH || line[1] !== DASH) return null;
  let end = line.length;
  while (end > 2 && (line[end - 1] === LF || line[end - 1] === CR || line[end - 1] === 0x20 || line[end - 1] === 0x09)) end--;
  return line.toString("latin1", 2, end);
}

/** The boundary of a multipart Content-Type, only when it is plain: one parameter, ASCII, no escapes. */
function plainBoundary(contentType: string): string | null {
  if ((contentType.match(/boundary/gi) ?? []).length !== 1) return null;
  const m = /;\s*boundary\s*=\s*(?:"([^"\\]*)"|([^\s;"\\]+))/i.exec(contentType);
  const value = (m?.[1] ?? m?.[2] ?? "").trimEnd();
  return value && value.length <= 200 && /^[\x20-\x7e]+$/.test(value) ? value : null;
}

function headerValues(block: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n[ \t]/g, " ");
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return fields;
}

/** How many "=" end the text, not counting line ends and blanks after them (at most 2 count). */
function trailingPadding(text: string): number {
  let k = text.length - 1;
  for (let c = text.charCodeAt(k); c === LF || c === CR || c === SP || c === TAB; c = text.charCodeAt(--k));
  let n = 0;
  while (n < 2 && text.charCodeAt(k - n) === 0x3d) n++;
  return n;
}

function count(buf: Buffer, byte: number): number {
  let n = 0;
  for (let p = buf.indexOf(byte); p >= 0; p = buf.indexOf(byte, p + 1)) n++;
  return n;
}

export class AttachmentDiverter extends Transform {
  readonly nonce = randomBytes(12).toString("hex");
  /** Set when the diversion cannot be trusted; the caller parses the mail again without it. */
  unsure: string | null = null;
  /** Decoded bytes of all diverted parts, kept or not. */
  divertedBytes = 0;

  private mode: Mode = "header";
  private pending: Buffer = Buffer.alloc(0);
  private headerLines: Buffer[] = [];
  private headerBytes = 0;
  private isRoot = true;
  private boundaries: string[] = [];
  private atLineStart = true;
  /** Text mode: the input continues a line already passed on (too long to be a delimiter). */
  private midLine = false;
  private part: Part | null = null;
  private readonly parts: Part[] = [];

  constructor(
    private readonly store: BlobStore,
    /** Attachments past this many decoded bytes in total are counted, not stored. */
    private readonly maxBytes: number,
    /** Parts past this many are not stored at all (a mail of thousands of parts costs a file each). */
    private readonly maxParts: number = Number.POSITIVE_INFINITY,
  ) {
    super({ readableHighWaterMark: 256 * 1024, writableHighWaterMark: 256 * 1024 });
  }

  /** The diverted attachment a part's header names (null when the header is not one of this parse's). */
  claim(headerValue: string): Promise<DivertedAttachment> | null {
    const [nonce, index] = headerValue.trim().split(":");
    const part = nonce === this.nonce ? this.parts[Number(index)] : undefined;
    if (!part || part.claimed) return null;
    part.claimed = true;
    return part.done.then((blob) => ({ size: part.size, blob, skipped: part.skipped }));
  }

  get partCount(): number {
    return this.parts.length;
  }

  get unclaimed(): number {
    return this.parts.filter((p) => !p.claimed).length;
  }

  /** Blobs of parts the parser never reported (the mail was cut short before them), for removal. */
  async unclaimedBlobs(): Promise<StoredBlob[]> {
    const blobs = await Promise.all(this.parts.filter((p) => !p.claimed).map((p) => p.done.catch(() => null)));
    return blobs.filter((b): b is StoredBlob => !!b);
  }

  /** Every blob this parse stored (for removal when the parse is abandoned). */
  async storedBlobs(): Promise<StoredBlob[]> {
    const blobs = await Promise.all(this.parts.map((p) => p.done.catch(() => null)));
    return blobs.filter((b): b is StoredBlob => !!b);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let drain: Promise<void> | null = null;
    try {
      drain = this.consume(data);
    } catch (err) {
      return callback(err as Error);
    }
    if (drain) drain.then(() => callback(), callback);
    else callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      const rest = this.pending;
      this.pending = Buffer.alloc(0);
      if (this.mode === "base64") {
        // The mail ends inside a diverted part: a closing delimiter may end it without a line end.
        if (rest.length >= 2 && rest[0] === DASH && rest[1] === DASH) {
          this.endPart();
          if (!this.delimiter(rest)) this.unsure = "a line starting with -- inside a base64 attachment";
          this.push(rest);
        } else {
          if (rest.length) void this.decode(rest);
          this.endPart();
        }
      } else {
        if (this.mode === "header") this.flushHeaders();
        if (rest.length) this.push(rest);
      }
      this.pending = Buffer.alloc(0);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _destroy(err: Error | null, callback: (error: Error | null) => void): void {
    // Normal end destroys too (autoDestroy): only an abandoned parse may cut the sinks short.
    if (err || !this.writableFinished) for (const p of this.parts) p.sink?.destroy();
    callback(err);
  }

  /** Consumes `data`; returns a promise when a diverted attachment's sink asks to wait. */
  private consume(data: Buffer): Promise<void> | null {
    let pos = 0;
    let drain: Promise<void> | null = null;
    while (pos < data.length) {
      if (this.mode === "pass") {
        this.push(pos ? data.subarray(pos) : data);
        return drain;
      }
      if (this.mode === "base64") {
        const next = this.consumeBase64(data, pos);
        if (next.wait) drain = next.wait;
        if (next.pos < 0) return drain;
        pos = next.pos;
        continue;
      }
      const nl = data.indexOf(LF, pos);
      if (this.midLine) {
        this.push(data.subarray(pos, nl < 0 ? data.length : nl + 1));
        if (nl < 0) return drain;
        this.midLine = false;
        pos = nl + 1;
        continue;
      }
      if (nl < 0) {
        this.keep(data.subarray(pos));
        return drain;
      }
      this.line(data.subarray(pos, nl + 1));
      pos = nl + 1;
    }
    return drain;
  }

  /**
   * Bytes of an unfinished line wait for the next chunk. A text line too long to be a delimiter
   * goes on at once (its rest follows), and a header line that never ends ends diverting.
   */
  private keep(rest: Buffer) {
    if (this.mode === "header" && this.headerBytes + rest.length > MAX_HEADER_BYTES) {
      this.giveUp(rest);
      return;
    }
    if (this.mode === "text" && rest.length > MAX_BOUNDARY_LINE) {
      this.push(rest);
      this.midLine = true;
      return;
    }
    this.pending = Buffer.from(rest);
  }

  /** Stops diverting for the rest of the mail: what was held goes out as it came. */
  private giveUp(rest: Buffer = Buffer.alloc(0)) {
    for (const l of this.headerLines) this.push(l);
    this.headerLines = [];
    this.mode = "pass";
    if (rest.length) this.push(rest);
  }

  private line(line: Buffer) {
    if (this.mode === "header") {
      this.headerLines.push(line);
      this.headerBytes += line.length;
      // A delimiter inside a header block (a part with no headers and no blank line) is left to the parser.
      if (this.headerBytes > MAX_HEADER_BYTES || this.isDelimiter(line)) return this.giveUp();
      const blank = line.length === 1 || (line.length === 2 && line[0] === CR);
      if (blank) this.endHeaders(line);
      return;
    }
    // text: passed on as it is; only delimiters matter.
    this.push(line);
    this.delimiter(line);
  }

  private isDelimiter(line: Buffer): boolean {
    const d = this.boundaries.length ? delimiterOf(line) : null;
    return d !== null && this.boundaries.some((b) => d === b || d === `${b}--`);
  }

  /** A delimiter of an open multipart starts its next part's headers, or closes it (and any inside it). */
  private delimiter(line: Buffer): boolean {
    const d = this.boundaries.length ? delimiterOf(line) : null;
    if (d === null) return false;
    for (let depth = this.boundaries.length - 1; depth >= 0; depth--) {
      const b = this.boundaries[depth]!;
      if (d === b) {
        this.boundaries.length = depth + 1;
        this.startHeaders();
        return true;
      }
      if (d === `${b}--`) {
        this.boundaries.length = depth;
        this.mode = "text";
        return true;
      }
    }
    return false;
  }

  private startHeaders() {
    this.mode = "header";
    this.headerLines = [];
    this.headerBytes = 0;
  }

  /** The end of the input while still in a header block: it goes out unchanged. */
  private flushHeaders() {
    for (const l of this.headerLines) this.push(l);
    this.headerLines = [];
  }

  private endHeaders(blank: Buffer) {
    const root = this.isRoot;
    this.isRoot = false;
    const lines = this.headerLines;
    const fields = headerValues(Buffer.concat(lines.slice(0, -1)).toString("latin1"));
    const contentTypes = fields.get("content-type") ?? [];
    const encodings = fields.get("content-transfer-encoding") ?? [];
    const contentType = contentTypes[0] ?? (root ? "text/plain" : "");
    const type = contentType.split(";")[0]!.trim().toLowerCase();
    this.headerLines = [];

    if (contentTypes.length > 1 || encodings.length > 1) {
      // Which one the parser believes is its business: this mail is parsed as it came.
      for (const l of lines) this.push(l);
      this.mode = "pass";
      return;
    }
    if (type.startsWith("multipart/")) {
      const boundary = plainBoundary(contentType);
      for (const l of lines) this.push(l);
      if (!boundary) {
        this.mode = "pass";
        return;
      }
      this.boundaries.push(boundary);
      this.mode = "text";
      return;
    }
    const divert =
      (encodings[0] ?? "").toLowerCase() === "base64" && type.includes("/") && !TEXT_TYPES.has(type) && !type.startsWith("message/");
    if (!divert) {
      for (const l of lines) this.push(l);
      this.mode = "text";
      return;
    }
    const index = this.parts.length;
    for (const l of lines.slice(0, -1)) this.push(l);
    const eol = blank.length === 2 ? "\r\n" : "\n";
    this.push(Buffer.from(`${DIVERTED_HEADER}: ${this.nonce}:${index}${eol}`, "latin1"));
    this.push(blank);
    this.startPart(index);
  }

  private startPart(index: number) {
    const over = this.divertedBytes > this.maxBytes;
    const skipped = !over && this.parts.length >= this.maxParts;
    const sink = over || skipped ? null : new PassThrough({ highWaterMark: 1 << 20 });
    const part: Part = { index, size: 0, carry: "", sink, done: Promise.resolve(null), overLimit: over, skipped, claimed: false };
    if (sink) {
      // A sink destroyed for the limit rejects its put: that is "not kept", not a failure.
      part.done = this.store.put("att", sink).catch((err: Error) => {
        if (part.overLimit) return null;
        throw Object.assign(err, { source: "storage" });
      });
      part.done.catch(() => {}); // observed through claim() or storedBlobs()
    }
    this.parts.push(part);
    this.part = part;
    this.mode = "base64";
    this.atLineStart = true;
  }

  /**
   * The body of a diverted part, from `pos`: decoded up to the next line that starts with "--".
   * Returns the position after what was consumed, or -1 when the rest must wait for more input.
   */
  private consumeBase64(data: Buffer, pos: number): { pos: number; wait?: Promise<void> } {
    if (this.atLineStart) {
      if (data.length - pos < 2) {
        this.pending = Buffer.from(data.subarray(pos));
        return { pos: -1 };
      }
      if (data[pos] === DASH && data[pos + 1] === DASH) {
        const nl = data.indexOf(LF, pos);
        if (nl < 0 && data.length - pos <= MAX_BOUNDARY_LINE) {
          this.pending = Buffer.from(data.subarray(pos));
          return { pos: -1 };
        }
        const line = data.subarray(pos, nl < 0 ? data.length : nl + 1);
        this.endPart();
        if (!this.delimiter(line)) {
          // "--" inside base64 is not base64: what the parser would make of this part is unclear.
          this.unsure = "a line starting with -- inside a base64 attachment";
          this.push(line);
          this.mode = "pass";
          return { pos: pos + line.length };
        }
        this.push(line);
        return { pos: pos + line.length };
      }
    }
    const next = data.indexOf(NL_DASH_DASH, pos);
    let end = next < 0 ? data.length : next + 1;
    // A chunk ending in "\n-" may be the start of a delimiter: that dash waits for the next chunk.
    if (next < 0 && data[end - 1] === DASH && data[end - 2] === LF) end--;
    const wait = this.decode(data.subarray(pos, end));
    this.atLineStart = data[end - 1] === LF;
    return { pos: end < data.length ? end : -1, wait };
  }

  /**
   * Decodes a run of base64 lines with Buffer's native decoder, which skips line ends, spaces and
   * tabs (as mailparser's decoder does). Only those may be there besides base64: the decoded length
   * proves it, and anything else (stray characters, padding in the middle) marks the diversion unsure.
   */
  private decode(segment: Buffer): Promise<void> | undefined {
    const part = this.part!;
    if (!segment.length) return undefined;
    let text = part.carry + segment.toString("latin1");
    const valid = text.length - count(segment, LF) - count(segment, CR) - count(segment, SP) - count(segment, TAB);
    const rest = valid % 4;
    let carry = "";
    if (rest) {
      let k = text.length;
      while (carry.length < rest) {
        k--;
        const c = text.charCodeAt(k);
        if (c !== LF && c !== CR && c !== SP && c !== TAB) carry = text[k]! + carry;
      }
      text = text.slice(0, k);
    }
    part.carry = carry;
    const padding = trailingPadding(text);
    const out = Buffer.from(text, "base64");
    if (out.length !== ((valid - rest) / 4) * 3 - padding) {
      this.unsure = "characters other than base64 in a base64 attachment";
    }
    return this.sendToPart(part, out);
  }

  private sendToPart(part: Part, out: Buffer): Promise<void> | undefined {
    if (!out.length) return undefined;
    part.size += out.length;
    this.divertedBytes += out.length;
    if (!part.sink) return undefined;
    if (this.divertedBytes > this.maxBytes) {
      // Over the limit: this part and the ones after it are counted only (the caller drops all).
      const sink = part.sink;
      part.sink = null;
      part.overLimit = true;
      sink.destroy(); // no error event: the put may not be listening yet; it ends "premature close"
      return undefined;
    }
    if (part.sink.write(out)) return undefined;
    const sink = part.sink;
    return new Promise((resolve) => {
      const go = () => {
        sink.off("drain", go);
        sink.off("close", go);
        resolve();
      };
      sink.on("drain", go);
      sink.on("close", go);
    });
  }

  private endPart() {
    const part = this.part;
    if (!part) return;
    if (part.carry) {
      const out = Buffer.from(part.carry, "base64");
      part.carry = "";
      void this.sendToPart(part, out);
    }
    part.sink?.end();
    this.part = null;
    this.mode = "text";
  }
}
