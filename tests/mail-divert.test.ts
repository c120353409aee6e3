// The side decoder of base64 attachments (divert-attachments.ts) against mailparser's own reading
// of the same mail (simpleParser, no diversion): for every mail below, and for every way of cutting
// it into chunks, the stored attachments (bytes, name, type, cid), the text and the HTML must be
// the same. Where the side decoder cannot be sure, the mail must still come out the same (parsed
// again the plain way) — and where it can, it must really have been used.
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer";
import type Mail from "nodemailer/lib/mailer";
import { describe, expect, it } from "vitest";
import { parseMailStreaming } from "~/server/modules/mail/parse/parse-mail";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { useTempStore } from "./support/temp-store";

const tmp = useTempStore("divert");

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const MAX = 20 * 1024 * 1024;

function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({ from: "Cliente <cliente@example.test>", to: "soporte@ventanilla.test", subject: "Adjuntos", ...options }).compile().build();
}

/** The mail cut into pieces of the given sizes (cycled), as a file read or a socket would hand it over. */
function chunked(raw: Buffer, sizes: number[]): () => Readable {
  return () => {
    const parts: Buffer[] = [];
    for (let pos = 0, i = 0; pos < raw.length; i++) {
      const n = sizes[i % sizes.length]!;
      parts.push(raw.subarray(pos, pos + n));
      pos += n;
    }
    return Readable.from(parts);
  };
}

async function reference(raw: Buffer) {
  const m = await simpleParser(raw, { skipTextToHtml: true, keepCidLinks: true });
  return {
    text: m.text ?? "",
    html: typeof m.html === "string" ? m.html : "",
    attachments: m.attachments.map((a) => ({ sha256: sha(a.content), size: a.content.length, filename: a.filename, contentType: a.contentType, cid: a.cid })),
  };
}

async function parsed(raw: Buffer, sizes: number[]) {
  const p = await parseMailStreaming(chunked(raw, sizes), tmp.store, MAX);
  const attachments = [];
  for (const a of p.attachments) {
    const bytes = await tmp.store.readBuffer(a.blob.key);
    expect(sha(bytes)).toBe(a.blob.sha256); // the stored file is what the hash says
    attachments.push({ sha256: a.blob.sha256, size: a.blob.size, filename: a.filename, contentType: a.contentType, cid: a.cid });
    await tmp.store.remove(a.blob.key);
  }
  return { text: p.mail.text ?? "", html: typeof p.mail.html === "string" ? p.mail.html : "", attachments, divertedParts: p.divertedParts };
}

const CUTS = [[256 * 1024], [65536], [4096, 77, 1, 2, 3, 1000], [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]];

async function expectSameAsMailparser(raw: Buffer, opts: { diverted: number; cuts?: number[][] }) {
  const want = await reference(raw);
  for (const sizes of opts.cuts ?? CUTS) {
    const got = await parsed(raw, sizes);
    expect({ ...got, divertedParts: undefined }, `cut into ${sizes.join(",")}`).toEqual({ ...want, divertedParts: undefined });
    expect(got.divertedParts, `cut into ${sizes.join(",")}`).toBe(opts.diverted);
  }
  // Nothing is left behind in the store: every blob was either returned (and removed above) or cleaned up.
  expect(await filesUnder(tmp.dir)).toEqual([]);
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

/** A hand-written mail (for shapes MailComposer never writes). */
const raw = (lines: string[], eol = "\r\n") => Buffer.from(lines.join(eol), "latin1");
const b64lines = (data: Buffer, width: number) => data.toString("base64").match(new RegExp(`.{1,${width}}`, "g"))!;

describe("side decoding of base64 attachments gives what mailparser gives", () => {
  it("a PDF, an inline image in multipart/related, and the text in multipart/alternative", async () => {
    const mail = await compose({
      text: "Hola,\nadjunto la factura.\n-- \nAna",
      html: '<p>Hola, <img src="cid:logo@x"></p>',
      attachments: [
        { filename: "factura.pdf", content: randomBytes(300_000), contentType: "application/pdf" },
        { filename: "logo.png", content: randomBytes(20_000), contentType: "image/png", cid: "logo@x" },
      ],
    });
    await expectSameAsMailparser(mail, { diverted: 2 });
  });

  it("several attachments, one of them empty, one a CSV (an attachment too), names in UTF-8", async () => {
    const mail = await compose({
      text: "Tres archivos",
      attachments: [
        { filename: "vacío.bin", content: Buffer.alloc(0), contentType: "application/octet-stream" },
        { filename: "datos.csv", content: "a;b\n1;2\n", contentType: "text/csv", encoding: "base64" } as Mail.Attachment,
        { filename: "año-2026.zip", content: randomBytes(70_001), contentType: "application/zip" },
      ],
    });
    const want = await reference(mail);
    expect(want.attachments).toHaveLength(3);
    await expectSameAsMailparser(mail, { diverted: 3 });
  });

  it("a forwarded message (message/rfc822) keeps its own attachment, read by the parser", async () => {
    const inner = await compose({ subject: "Original", text: "dentro", attachments: [{ filename: "in.bin", content: randomBytes(5000) }] });
    const mail = await compose({ text: "Reenvío", attachments: [{ filename: "fw.eml", content: inner, contentType: "message/rfc822" }, { filename: "out.bin", content: randomBytes(9000) }] });
    const want = await reference(mail);
    expect(want.attachments.length).toBeGreaterThanOrEqual(2);
    await expectSameAsMailparser(mail, { diverted: 1 });
  });

  it("a mail that is only a base64 PDF (no multipart)", async () => {
    const data = randomBytes(40_000);
    const mail = raw([
      "From: a@example.test",
      "To: soporte@ventanilla.test",
      "Subject: solo pdf",
      "Content-Type: application/pdf; name=\"solo.pdf\"",
      "Content-Transfer-Encoding: base64",
      "Content-Disposition: attachment; filename=\"solo.pdf\"",
      "",
      ...b64lines(data, 76),
      "",
    ]);
    await expectSameAsMailparser(mail, { diverted: 1 });
  });

  it("line widths of 64, 72, 100 and 999, one line of 30,000, bare LF line ends, trailing spaces, upper-case BASE64", async () => {
    for (const [width, eol, pad] of [[64, "\r\n", ""], [72, "\n", ""], [100, "\r\n", "  "], [999, "\r\n", "\t"], [30_000, "\n", ""]] as const) {
      const data = randomBytes(20_000 + width);
      const mail = raw(
        [
          "From: a@example.test",
          "To: soporte@ventanilla.test",
          "Subject: widths",
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed;\r\n\tboundary="=_b_' + width + '"',
          "",
          "preámbulo",
          `--=_b_${width}`,
          "Content-Type: text/plain; charset=utf-8",
          "",
          "Texto",
          `--=_b_${width}  `,
          "Content-Type: application/octet-stream",
          "Content-Transfer-Encoding: BASE64",
          "",
          ...b64lines(data, width).map((l) => l + pad),
          `--=_b_${width}--`,
          "epílogo",
          "",
        ],
        eol,
      );
      await expectSameAsMailparser(mail, { diverted: 1, cuts: [[65536], [4096, 77, 1, 2, 3, 1000]] });
    }
  });

  it("a closing delimiter at the very end with no line end, and a part whose delimiter never comes", async () => {
    const data = randomBytes(5000);
    const closed = raw(["From: a@example.test", "Content-Type: multipart/mixed; boundary=zz", "", "--zz", "Content-Type: image/jpeg", "Content-Transfer-Encoding: base64", "", ...b64lines(data, 76), "--zz--"]);
    await expectSameAsMailparser(closed, { diverted: 1 });
    const unclosed = raw(["From: a@example.test", "Content-Type: multipart/mixed; boundary=zz", "", "--zz", "Content-Type: image/jpeg", "Content-Transfer-Encoding: base64", "", ...b64lines(data, 76), ""]);
    await expectSameAsMailparser(unclosed, { diverted: 1 });
  });

  it("what it cannot be sure of is parsed again the plain way, with the same result", async () => {
    const data = randomBytes(3000);
    const lines = b64lines(data, 76);
    const cases = [
      // a stray character in the base64
      [...lines.slice(0, 5), "!!not base64!!", ...lines.slice(5)],
      // a line starting with -- that is no delimiter
      [...lines.slice(0, 5), "--oops", ...lines.slice(5)],
      // padding in the middle (two base64 blobs glued together)
      [...b64lines(data.subarray(0, 1000), 76), ...b64lines(data.subarray(1000), 76)],
    ];
    for (const body of cases) {
      const mail = raw(["From: a@example.test", "Content-Type: multipart/mixed; boundary=qq", "", "--qq", "Content-Type: application/pdf", "Content-Transfer-Encoding: base64", "", ...body, "--qq--", ""]);
      await expectSameAsMailparser(mail, { diverted: 0 });
    }
  });

  it("boundaries it does not read itself (RFC 2231, escapes, two Content-Type headers) leave the whole mail to the parser", async () => {
    const data = randomBytes(2000);
    const part = ["Content-Type: application/pdf", "Content-Transfer-Encoding: base64", "", ...b64lines(data, 76)];
    const rfc2231 = raw(["From: a@example.test", "Content-Type: multipart/mixed; boundary*=us-ascii''ab", "", "--ab", ...part, "--ab--", ""]);
    const escaped = raw(["From: a@example.test", 'Content-Type: multipart/mixed; boundary="a\\"b"', "", '--a"b', ...part, '--a"b--', ""]);
    const twice = raw(["From: a@example.test", "Content-Type: multipart/mixed; boundary=cc", "Content-Type: text/plain", "", "--cc", ...part, "--cc--", ""]);
    for (const mail of [rfc2231, escaped, twice]) await expectSameAsMailparser(mail, { diverted: 0 });
  });

  it("attachments over the limit are counted, not kept, and nothing stays in the store", async () => {
    const mail = await compose({ text: "grande", attachments: [{ filename: "a.bin", content: randomBytes(600_000) }, { filename: "b.bin", content: randomBytes(600_000) }] });
    const p = await parseMailStreaming(chunked(mail, [65536]), tmp.store, 1_000_000);
    expect(p).toMatchObject({ overLimit: true, attachments: [] });
    expect(p.attachmentBytes).toBe(1_200_000);
    expect(await filesUnder(tmp.dir)).toEqual([]);
  });

  it("a storage failure while diverting is a storage error (retried), and leaves nothing behind", async () => {
    const mail = await compose({ text: "x", attachments: [{ filename: "a.bin", content: randomBytes(100_000) }] });
    const failing: BlobStore = { ...tmp.store, put: async (prefix, source, opts) => (prefix === "att" ? Promise.reject(new Error("disk full")) : tmp.store.put(prefix, source, opts)) };
    await expect(parseMailStreaming(chunked(mail, [65536]), failing, MAX)).rejects.toMatchObject({ message: "disk full", source: "storage" });
    expect(await filesUnder(tmp.dir)).toEqual([]);
  });

  it("the stored bytes of a 3 MB attachment are exactly the original file", async () => {
    const data = randomBytes(3_000_000);
    const mail = await compose({ text: "x", attachments: [{ filename: "big.bin", content: data }] });
    const p = await parseMailStreaming(chunked(mail, [256 * 1024]), tmp.store, MAX);
    expect(p.divertedParts).toBe(1);
    expect((await readFile(path.join(tmp.dir, p.attachments[0]!.blob.key))).equals(data)).toBe(true);
    await tmp.store.remove(p.attachments[0]!.blob.key);
  });
});
