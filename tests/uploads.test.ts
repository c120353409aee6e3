// Web attachments end to end: POST /api/uploads on the real HTTP server (startServer), real next-auth
// session cookies, the blob store in env.STORAGE_DIR, PostgreSQL; messages take the staged uploads
// through the tRPC routers (the same the forms call), and GET /api/attachments/<id> serves them.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { fixedClock } from "~/server/clock";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { UPLOAD_PREFIX } from "~/server/modules/attachments/staged-uploads";
import { sweepOrphanBlobs } from "~/server/modules/storage/sweep-orphans";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { ATTACHMENTS_MAX_BYTES } from "~/shared/attachments";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "./support/fixtures";

const ORIGIN = "http://ventanilla.test";
const TOO_LARGE_ES = "Los archivos adjuntos de un mensaje no pueden superar 20 MB en total.";
const store = localBlobStore(env.STORAGE_DIR);
const storageExisted = existsSync(env.STORAGE_DIR);
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", PUBLIC_URL: ORIGIN } });
});

afterAll(async () => {
  await server?.close();
  const rows = await db.stagedUpload.findMany();
  for (const r of rows) await store.remove(r.key);
  if (!storageExisted) await rm(env.STORAGE_DIR, { recursive: true, force: true });
});

// A real 1×1 PNG with a unique tail after its end: any re-encoding on the way shows.
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const png = () => Buffer.concat([PIXEL, Buffer.from(randomUUID())]);

async function person(role: "CUSTOMER" | "AGENT" = "CUSTOMER", locale = "es") {
  const user = await makeUser(role, { locale });
  return { user, cookie: await sessionCookie(user.id), api: await callerFor(testDeps().deps, user.id) };
}

interface Answer {
  status: number;
  json: { uploads?: { id: string; filename: string; contentType: string; size: number }[]; error?: { code: string; message: string } };
}

async function upload(files: { data: Buffer; name: string; type?: string }[], opts: { cookie?: string; origin?: string | null } = {}): Promise<Answer> {
  const form = new FormData();
  for (const f of files) form.append("file", new Blob([new Uint8Array(f.data)], { type: f.type ?? "application/octet-stream" }), f.name);
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
  const res = await fetch(`${server.url}/api/uploads`, { method: "POST", headers, body: form });
  return { status: res.status, json: (await res.json()) as Answer["json"] };
}

/** Every file under the uploads prefix of the store. */
async function storedUploads(): Promise<string[]> {
  const base = path.join(env.STORAGE_DIR, UPLOAD_PREFIX);
  if (!existsSync(base)) return [];
  const out: string[] = [];
  for (const day of await readdir(base)) for (const name of await readdir(path.join(base, day))) out.push(`${day}/${name}`);
  return out.sort();
}

async function newTicketWith(api: Awaited<ReturnType<typeof callerFor>>, attachmentIds: string[], clientRequestId?: string) {
  return api.ticket.create({ subject: "Impresora sin conexión", description: "Adjunto la captura del error.", attachmentIds, clientRequestId });
}

describe("POST /api/uploads", () => {
  it("stages a customer's files: streamed to the store, type sniffed from the bytes, name cleaned", async () => {
    const customer = await person();
    const image = png();
    const up = await upload(
      [
        { data: image, name: "captura ñ.png", type: "image/png" },
        // Claims to be a PNG, is text; its name tries a path and markup.
        { data: Buffer.from("hola, esto es texto"), name: "../../etc/pass<b>wd.png", type: "image/png" },
      ],
      { cookie: customer.cookie },
    );
    expect(up.status).toBe(200);
    expect(up.json.uploads).toHaveLength(2);
    const [first, second] = up.json.uploads!;
    expect(first).toMatchObject({ filename: "captura ñ.png", contentType: "image/png", size: image.length });
    expect(second).toMatchObject({ filename: "passbwd.png", contentType: "application/octet-stream" });
    const row = await db.stagedUpload.findUniqueOrThrow({ where: { id: first!.id } });
    expect(row).toMatchObject({ ownerId: customer.user.id, consumed: false, size: image.length });
    expect((await store.readBuffer(row.key)).equals(image)).toBe(true);
  });

  it("refuses another site's form (403), a missing Origin and an anonymous visitor (401), storing nothing", async () => {
    const customer = await person();
    const before = await storedUploads();
    const rows = await db.stagedUpload.count();
    const cross = await upload([{ data: png(), name: "a.png" }], { cookie: customer.cookie, origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect(cross.json.error).toEqual({ code: "UPLOAD_ORIGIN", message: "Los archivos solo pueden enviarse desde las páginas de este sitio." });
    expect((await upload([{ data: png(), name: "a.png" }], { cookie: customer.cookie, origin: null })).status).toBe(403);
    const anon = await upload([{ data: png(), name: "a.png" }]);
    expect(anon.status).toBe(401);
    expect(anon.json.error?.message).toBe("Debe iniciar sesión para continuar.");
    expect(await storedUploads()).toEqual(before);
    expect(await db.stagedUpload.count()).toBe(rows);
  });

  it("refuses 20 MB + 1 byte while streaming: nothing left in the store, no row; the message is localized", async () => {
    const customer = await person();
    const english = await person("CUSTOMER", "en");
    const before = await storedUploads();
    const rows = await db.stagedUpload.count();

    const one = await upload([{ data: Buffer.alloc(ATTACHMENTS_MAX_BYTES + 1, 7), name: "grande.bin" }], { cookie: customer.cookie });
    expect(one.status).toBe(413);
    expect(one.json.error).toEqual({ code: "ATTACHMENTS_TOO_LARGE", message: TOO_LARGE_ES });

    // The limit is the message's: two files that pass it together, the first one already stored whole.
    const two = await upload(
      [
        { data: Buffer.alloc(ATTACHMENTS_MAX_BYTES / 2, 1), name: "mitad.bin" },
        { data: Buffer.alloc(ATTACHMENTS_MAX_BYTES / 2 + 1, 2), name: "otra-mitad.bin" },
      ],
      { cookie: english.cookie },
    );
    expect(two.status).toBe(413);
    expect(two.json.error?.message).toBe("The attachments of one message cannot exceed 20 MB in total.");

    expect(await storedUploads()).toEqual(before);
    expect(await db.stagedUpload.count()).toBe(rows);
  });

  it("refuses a declared Content-Length over the limit before reading the body", async () => {
    const customer = await person();
    const before = await storedUploads();
    const boundary = "----vt" + randomUUID();
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/uploads`, {
        method: "POST",
        headers: {
          origin: ORIGIN,
          cookie: customer.cookie,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": String(ATTACHMENTS_MAX_BYTES * 2),
        },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", reject);
      // Only the first part's head is sent: the answer comes without the rest.
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n`);
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body)).toEqual({ error: { code: "ATTACHMENTS_TOO_LARGE", message: TOO_LARGE_ES } });
    expect(await storedUploads()).toEqual(before);
  });

  it("limits each user's uploads (60 per quarter hour), not other users'", async () => {
    const busy = await person();
    const other = await person();
    for (let i = 0; i < 60; i++) expect((await upload([{ data: Buffer.from(`nota ${i}`), name: `n${i}.txt`, type: "text/plain" }], { cookie: busy.cookie })).status).toBe(200);
    const refused = await upload([{ data: Buffer.from("una más"), name: "otra.txt", type: "text/plain" }], { cookie: busy.cookie });
    expect(refused.status).toBe(429);
    expect(refused.json.error?.code).toBe("UPLOADS_RATE_LIMITED");
    expect(refused.json.error?.message).toMatch(/^Ha subido demasiados archivos en poco tiempo\. Vuelva a intentarlo en 1[45] minutos\.$/);
    expect((await upload([{ data: Buffer.from("hola"), name: "hola.txt", type: "text/plain" }], { cookie: other.cookie })).status).toBe(200);
  });

  it("accepts exactly 20 MB", async () => {
    const customer = await person();
    const up = await upload([{ data: Buffer.alloc(ATTACHMENTS_MAX_BYTES, 3), name: "justo.bin" }], { cookie: customer.cookie });
    expect(up.status).toBe(200);
    expect(up.json.uploads![0]!.size).toBe(ATTACHMENTS_MAX_BYTES);
    // And a message takes it.
    const ticket = await newTicketWith(customer.api, [up.json.uploads![0]!.id]);
    expect(await db.attachment.count({ where: { ticketId: ticket.id } })).toBe(1);
  });
});

describe("messages take staged uploads", () => {
  it("a new ticket's attachments are served to their customer only; an image inline, the rest as a download", async () => {
    const owner = await person();
    const other = await person();
    const image = png();
    const up = await upload(
      [
        { data: image, name: "error.png", type: "image/png" },
        { data: Buffer.from("registro del equipo\n"), name: "registro.txt", type: "text/plain" },
      ],
      { cookie: owner.cookie },
    );
    const ids = up.json.uploads!.map((u) => u.id);
    const ticket = await newTicketWith(owner.api, ids);
    const atts = await db.attachment.findMany({ where: { ticketId: ticket.id }, orderBy: { filename: "asc" } });
    expect(atts.map((a) => [a.id, a.filename, a.contentType])).toEqual([
      [ids[0], "error.png", "image/png"],
      [ids[1], "registro.txt", "text/plain"],
    ]);
    expect(await db.stagedUpload.count({ where: { id: { in: ids }, consumed: true } })).toBe(2);

    const mine = await fetch(`${server.url}/api/attachments/${ids[0]}`, { headers: { cookie: owner.cookie } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toBe("image/png");
    expect(mine.headers.get("content-disposition")).toMatch(/^inline/);
    expect(Buffer.from(await mine.arrayBuffer()).equals(image)).toBe(true);

    for (const id of ids) {
      const theirs = await fetch(`${server.url}/api/attachments/${id}`, { headers: { cookie: other.cookie } });
      expect(theirs.status).toBe(404);
      expect(await theirs.text()).toBe("El archivo no existe o no tiene acceso a él.");
    }
    // A staged upload no message took is no attachment either, even for its owner.
    const staged = await upload([{ data: png(), name: "suelto.png", type: "image/png" }], { cookie: owner.cookie });
    expect((await fetch(`${server.url}/api/attachments/${staged.json.uploads![0]!.id}`, { headers: { cookie: owner.cookie } })).status).toBe(404);
  });

  it("refuses another user's upload id, an unknown one, and one already used", async () => {
    const owner = await person();
    const thief = await person();
    const agent = await person("AGENT");
    const up = await upload([{ data: png(), name: "mia.png", type: "image/png" }], { cookie: owner.cookie });
    const id = up.json.uploads![0]!.id;

    await expect(newTicketWith(thief.api, [id])).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Uno de los archivos adjuntos ya no está disponible: quítelo y vuelva a adjuntarlo." });
    await expect(newTicketWith(owner.api, ["no-such-upload"])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Refused whole: no ticket was opened by the thief's attempt, and the upload is still the owner's to use.
    expect(await db.ticket.count({ where: { requesterId: thief.user.id } })).toBe(0);

    const ticket = await newTicketWith(owner.api, [id]);
    await expect(agent.api.ticket.reply({ ticketId: ticket.id, body: "Le adjunto lo suyo", attachmentIds: [id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.api.ticket.reply({ ticketId: ticket.id, body: "Otra vez el mismo", attachmentIds: [id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.attachment.count({ where: { ticketId: ticket.id } })).toBe(1);
    expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it("refuses staged uploads that together pass 20 MB", async () => {
    const customer = await person();
    const a = await upload([{ data: Buffer.alloc(ATTACHMENTS_MAX_BYTES / 2 + 1, 4), name: "a.bin" }], { cookie: customer.cookie });
    const b = await upload([{ data: Buffer.alloc(ATTACHMENTS_MAX_BYTES / 2, 5), name: "b.bin" }], { cookie: customer.cookie });
    await expect(newTicketWith(customer.api, [a.json.uploads![0]!.id, b.json.uploads![0]!.id])).rejects.toMatchObject({ code: "BAD_REQUEST", message: TOO_LARGE_ES });
  });

  it("a retried submit (same clientRequestId) writes no second ticket, message or attachment", async () => {
    const customer = await person();
    const agent = await person("AGENT");
    const up = await upload([{ data: png(), name: "uno.png", type: "image/png" }], { cookie: customer.cookie });
    const ids = up.json.uploads!.map((u) => u.id);
    const key = `form-${randomUUID()}`;
    const first = await newTicketWith(customer.api, ids, key);
    const again = await newTicketWith(customer.api, ids, key);
    expect(again).toMatchObject({ id: first.id, created: false });
    expect(await db.attachment.count({ where: { ticketId: first.id } })).toBe(1);

    // The agent's reply, sent twice (a network retry), and an internal note.
    const file = await upload([{ data: Buffer.from("%PDF-1.4\n%fin\n"), name: "factura.pdf", type: "application/pdf" }], { cookie: agent.cookie });
    const replyKey = `reply-${randomUUID()}`;
    const input = { ticketId: first.id, body: "Le envío la factura.", attachmentIds: [file.json.uploads![0]!.id], clientRequestId: replyKey };
    const r1 = await agent.api.ticket.reply(input);
    const r2 = await agent.api.ticket.reply(input);
    expect(r2.id).toBe(r1.id);
    expect(await db.message.count({ where: { ticketId: first.id } })).toBe(2);
    expect(await db.attachment.count({ where: { messageId: r1.id } })).toBe(1);

    const note = await upload([{ data: png(), name: "interno.png", type: "image/png" }], { cookie: agent.cookie });
    const noteId = note.json.uploads![0]!.id;
    await agent.api.ticket.reply({ ticketId: first.id, body: "Nota: revisar.", internal: true, attachmentIds: [noteId] });
    // The customer cannot fetch the note's file; the agent can.
    expect((await fetch(`${server.url}/api/attachments/${noteId}`, { headers: { cookie: customer.cookie } })).status).toBe(404);
    expect((await fetch(`${server.url}/api/attachments/${noteId}`, { headers: { cookie: agent.cookie } })).status).toBe(200);
  });
});

describe("the storage sweep", () => {
  it("removes uploads no message took after a day, with their files, and unnamed upload files; keeps the used ones", async () => {
    const customer = await person();
    const used = await upload([{ data: png(), name: "usado.png", type: "image/png" }], { cookie: customer.cookie });
    const abandoned = await upload([{ data: png(), name: "olvidado.png", type: "image/png" }], { cookie: customer.cookie });
    await newTicketWith(customer.api, [used.json.uploads![0]!.id]);
    const usedRow = await db.stagedUpload.findUniqueOrThrow({ where: { id: used.json.uploads![0]!.id } });
    const abandonedRow = await db.stagedUpload.findUniqueOrThrow({ where: { id: abandoned.json.uploads![0]!.id } });
    // A file of a request that died between storing and its rows: no row names it.
    const orphan = await store.put(UPLOAD_PREFIX, Buffer.from("subida cortada"));

    // An hour later nothing is old enough.
    const soon = await sweepOrphanBlobs({ db, clock: fixedClock(new Date(Date.now() + 3600_000)), store });
    expect(soon.abandonedUploads).not.toContain(abandonedRow.key);
    expect(soon.removed).not.toContain(orphan.key);

    const dayLater = await sweepOrphanBlobs({ db, clock: fixedClock(new Date(Date.now() + 25 * 3600_000)), store });
    expect(dayLater.abandonedUploads).toContain(abandonedRow.key);
    expect(dayLater.abandonedUploads).not.toContain(usedRow.key);
    expect(dayLater.removed).toContain(orphan.key);
    expect(dayLater.removed).not.toContain(usedRow.key);
    expect(await db.stagedUpload.findUnique({ where: { id: abandonedRow.id } })).toBeNull();
    expect(existsSync(path.join(env.STORAGE_DIR, abandonedRow.key))).toBe(false);
    expect(existsSync(path.join(env.STORAGE_DIR, usedRow.key))).toBe(true);
    // The used one still downloads.
    expect((await fetch(`${server.url}/api/attachments/${usedRow.id}`, { headers: { cookie: customer.cookie } })).status).toBe(200);
  });
});
