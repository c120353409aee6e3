import { Transform, type TransformCallback } from "node:stream";

const LF = 0x0a;
const DASH = 0x2d;
const NL_DASH_DASH = Buffer.from("\n--");

/**
 * Stands between a raw mail and the MIME parser and cuts the mail short after `maxLines` lines
 * that start with "--" (every MIME part starts after one; a text body may have a few more, such as
 * a signature's "-- "). mailparser builds a node per part in JavaScript and gives up on the whole
 * mail past its own node limit, so a mail of thousands of tiny parts would otherwise cost the worker
 * seconds and end unprocessable; cut here, the parts before the cut are read as usual and the rest
 * is not (the raw mail stays in storage as it came). Finding the lines costs Buffer.indexOf only.
 */
export class MimeLineGuard extends Transform {
  /** Lines starting with "--" seen, up to the cut. */
  lines = 0;
  /** The mail was cut: the parser saw only its beginning. */
  cut = false;
  /** How the input seen so far ends: at a line start, at a line start and one dash, or elsewhere. */
  private tail: "lf" | "lf-dash" | "other" = "lf";

  constructor(private readonly maxLines: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (this.cut || chunk.length === 0) return callback();
    let cutAt = -1;
    const hit = (pos: number) => {
      if (++this.lines > this.maxLines) cutAt = pos;
    };
    if ((this.tail === "lf" && chunk[0] === DASH && chunk[1] === DASH) || (this.tail === "lf-dash" && chunk[0] === DASH)) hit(0);
    for (let p = chunk.indexOf(NL_DASH_DASH); p >= 0 && cutAt < 0; p = chunk.indexOf(NL_DASH_DASH, p + 1)) hit(p + 1);
    const n = chunk.length;
    const last = chunk[n - 1];
    this.tail = last === LF ? "lf" : last === DASH && (n >= 2 ? chunk[n - 2] === LF : this.tail === "lf") ? "lf-dash" : "other";
    if (cutAt < 0) {
      this.push(chunk);
      return callback();
    }
    // The rest of the input is read (so the source ends normally) and dropped.
    this.cut = true;
    this.lines = this.maxLines;
    if (cutAt > 0) this.push(chunk.subarray(0, cutAt));
    callback();
  }
}
