// The IMAP poller against a real IMAP server: a private Dovecot (Debian's dovecot-imapd) started by
// this file, mail delivered into its maildirs the way an MTA does, the server's state read back from
// those maildirs (not through the client under test), PostgreSQL rows, blobs on disk, and the real
// BullMQ inbound worker running the scheduled poll job.
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { env } from "~/env";
import { createDb, sqlOf } from "~/server/db/client";
import type { ImapMailbox } from "~/server/generated/prisma/client";
import { createImapMailbox, listImapMailboxes, updateImapMailbox } from "~/server/modules/mail/admin/imap-mailboxes";
import { pollActiveMailboxes, pollMailbox, type ImapPollDeps } from "~/server/adapters/imapflow/imap-poller";
import { processInboundMail, type InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { createInboundQueue, type InboundJob } from "~/server/adapters/bullmq/inbound-queue";
import { isSealed, mailSecretsKey, openSecret } from "~/server/modules/mail/admin/secret-box";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { createRedis } from "~/server/redis";
import { startInboundWorker } from "../workers/inbound-mail";
import { db, idleQueues, testDeps, withInboundQueue } from "./support/fixtures";
import { startDovecot, type Dovecot } from "./support/dovecot";
import { waitUntil, withTimeout } from "./support/wait";
import { uniq } from "./support/uniq";
import { silentLogger } from "~/server/observability/logger";

const SUPPORT = "soporte@ventanilla.test";
/** The key the workers use with this environment (derived from NEXTAUTH_SECRET: MAIL_SECRETS_KEY is unset). */
const secretsKey = mailSecretsKey(env);

let dovecot: Dovecot;
let dir: string;
let store: BlobStore;

beforeAll(async () => {
  dovecot = await startDovecot();
  dir = await mkdtemp(path.join(os.tmpdir(), "ventanilla-imap-"));
  store = localBlobStore(dir);
});

afterAll(async () => {
  await dovecot?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha256 = (raw: string) => createHash("sha256").update(raw).digest("hex");

/** A single-part RFC 822 mail with CRLF line endings, exactly as written. */
function rawMail(m: { from: string; subject: string; messageId: string; headers?: Record<string, string>; body?: string }): string {
  const lines = [
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    `From: Cliente <${m.from}>`,
    `To: ${SUPPORT}`,
    `Subject: ${m.subject}`,
    "Date: Mon, 02 Mar 2026 09:00:00 +0000",
    `Message-ID: ${m.messageId}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    m.body ?? "Hola, no puedo entrar al portal.",
  ];
  return `${lines.join("\r\n")}\r\n`;
}

function mailFor(tag: string, extra: { headers?: Record<string, string>; body?: string } = {}) {
  const messageId = `<imap-${tag}@cliente.test>`;
  const subject = `Consulta ${tag}`;
  return { messageId, subject, raw: rawMail({ from: `cliente-${tag}@example.test`, subject, messageId, ...extra }) };
}

async function makeMailbox(creds: { user: string; password: string }, extra: Partial<Pick<ImapMailbox, "moveTo" | "active" | "password" | "folder">> = {}) {
  return db.imapMailbox.create({
    data: { name: `Buzón ${creds.user}`, host: dovecot.host, port: dovecot.port, secure: false, username: creds.user, password: creds.password, ...extra },
  });
}

/** A mailbox saved the way an admin saves one (password encrypted); `key` stands in for another deployment's. */
async function saveMailbox(creds: { user: string; password: string }, key = secretsKey) {
  return createImapMailbox(sealing(key), { name: `Buzón ${creds.user}`, host: dovecot.host, port: dovecot.port, secure: false, username: creds.user, password: creds.password });
}

/** Deps that seal mailbox passwords with `key` (this deployment's unless another is given). */
function sealing(key = secretsKey) {
  return { db, secrets: { session: env.NEXTAUTH_SECRET, mailKey: key } };
}

/** The mailbox row exactly as PostgreSQL holds it, as text. */
async function storedRow(id: string): Promise<string> {
  const [row] = await db.$queryRaw<Array<{ row: string }>>`SELECT row_to_json(m)::text AS row FROM "ImapMailbox" m WHERE id = ${id}`;
  return row!.row;
}

/** Poll dependencies with a fixed clock and an enqueue that records the ids it is handed. */
function pollDeps(overrides: Partial<ImapPollDeps> = {}) {
  const { clock } = testDeps();
  const enqueued: string[] = [];
  const deps: ImapPollDeps = {
    db,
    clock,
    store,
    queues: {
      ...idleQueues(),
      enqueueInbound: async (ids) => {
        enqueued.push(...ids);
      },
    },
    secrets: { session: env.NEXTAUTH_SECRET, mailKey: secretsKey },
    ...overrides,
  };
  return { deps, clock, enqueued };
}

function inboundDeps(): InboundDeps {
  const { deps } = testDeps();
  return { ...deps, store, mailbox: { supportAddresses: [SUPPORT] }, limits: { maxAttachmentBytes: 1024 * 1024, newTicketsPerHour: 1000 } };
}

const seenOf = async (user: string, messageId: string) => {
  const found = (await dovecot.messages(user)).filter((m) => m.messageId === messageId);
  expect(found, `exactly one copy of ${messageId} on the server`).toHaveLength(1);
  return found[0]!;
};

const rowsOf = (mailboxId: string) => db.inboundMail.findMany({ where: { imapMailboxId: mailboxId }, orderBy: { receivedAt: "asc" } });

describe("IMAP poller against Dovecot", () => {
  it("stores unseen mail as InboundMail rows (source imap) byte for byte, flags it \\Seen only once the row exists, and the rows become tickets", async () => {
    const creds = await dovecot.addUser();
    const a = mailFor(`a-${uniq()}`, { headers: { "Return-Path": "<cliente-a@example.test>", "Delivered-To": "soporte@ventanilla.test" } });
    const b = mailFor(`b-${uniq()}`);
    const alreadySeen = mailFor(`seen-${uniq()}`);
    const deleted = mailFor(`del-${uniq()}`);
    await dovecot.deliver(creds.user, a.raw);
    await dovecot.deliver(creds.user, b.raw);
    await dovecot.deliver(creds.user, alreadySeen.raw, { flags: "S" });
    await dovecot.deliver(creds.user, deleted.raw, { flags: "T" });
    const mailbox = await makeMailbox(creds);
    const bySha = new Map([a, b, alreadySeen, deleted].map((m) => [sha256(m.raw), m.messageId]));

    // Each time a row is inserted, the server's copy of that very message is looked at: still unseen.
    const atInsert: Array<{ messageId: string | undefined; seen: boolean }> = [];
    // A client of its own whose SQL pool is watched: the INSERT runs for real, then the probe looks.
    const probingDb = createDb(env.DATABASE_URL, 2);
    const pool = sqlOf(probingDb);
    const realQuery = pool.query.bind(pool) as (q: unknown) => Promise<unknown>;
    pool.query = (async (q: { text?: string; values?: unknown[] }) => {
      const res = await realQuery(q);
      if (q.text?.startsWith('INSERT INTO "InboundMail"')) {
        const stored = await db.inboundMail.findUniqueOrThrow({ where: { id: q.values![0] as string } });
        const messageId = bySha.get(stored.sha256);
        atInsert.push({ messageId, seen: (await seenOf(creds.user, messageId!)).seen });
      }
      return res;
    }) as unknown as typeof pool.query;
    onTestFinished(() => probingDb.$disconnect());

    const { deps, clock, enqueued } = pollDeps({ db: probingDb });
    const result = await pollMailbox(deps, mailbox);

    expect(result).toMatchObject({ error: null, failed: [], remaining: 0 });
    expect(result.stored).toHaveLength(2);
    expect(enqueued).toEqual(result.stored);
    expect(atInsert.map((x) => x.messageId).sort()).toEqual([a.messageId, b.messageId].sort());
    expect(atInsert.every((x) => !x.seen)).toBe(true);

    // The server now has both flagged \Seen; the mail that was already seen and the \Deleted one were not fetched.
    expect((await seenOf(creds.user, a.messageId)).seen).toBe(true);
    expect((await seenOf(creds.user, b.messageId)).seen).toBe(true);
    expect(await seenOf(creds.user, deleted.messageId)).toMatchObject({ seen: false, flags: "T" });

    const rows = await rowsOf(mailbox.id);
    expect(rows.map((r) => r.id).sort()).toEqual([...result.stored].sort());
    expect(rows.map((r) => r.sha256).sort()).toEqual([sha256(a.raw), sha256(b.raw)].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ source: "imap", status: "RECEIVED", imapMailboxId: mailbox.id });
      const raw = row.sha256 === sha256(a.raw) ? a.raw : b.raw;
      expect((await store.readBuffer(row.storageKey)).equals(Buffer.from(raw))).toBe(true);
      expect(row.size).toBe(Buffer.byteLength(raw));
    }
    // Return-Path and Delivered-To stand in for the SMTP envelope.
    expect(rows.find((r) => r.sha256 === sha256(a.raw))).toMatchObject({ envelopeFrom: "cliente-a@example.test", envelopeTo: ["soporte@ventanilla.test"] });
    expect(rows.find((r) => r.sha256 === sha256(b.raw))).toMatchObject({ envelopeFrom: null, envelopeTo: [] });
    expect(await db.imapMailbox.findUniqueOrThrow({ where: { id: mailbox.id } })).toMatchObject({ lastPolledAt: clock.now(), lastError: null });

    // The same pipeline as SMTP mail: each stored mail becomes a ticket.
    const ideps = inboundDeps();
    for (const id of result.stored) expect(await processInboundMail(ideps, id)).toMatchObject({ status: "PROCESSED", created: true });
    const tickets = await db.ticket.findMany({ where: { id: { in: (await rowsOf(mailbox.id)).map((r) => r.ticketId!) } } });
    expect(tickets.map((t) => `${t.subject} ${t.channel}`).sort()).toEqual([`${a.subject} EMAIL`, `${b.subject} EMAIL`].sort());

    // Polling again finds nothing new: no second row, nothing enqueued.
    const again = await pollMailbox(deps, mailbox);
    expect(again).toMatchObject({ stored: [], failed: [], error: null });
    expect(await rowsOf(mailbox.id)).toHaveLength(2);
    expect(enqueued).toHaveLength(2);
  });

  it("moves stored mail to the moveTo folder (created when missing), flagged \\Seen", async () => {
    const creds = await dovecot.addUser();
    const m = mailFor(`mv-${uniq()}`);
    await dovecot.deliver(creds.user, m.raw);
    const mailbox = await makeMailbox(creds, { moveTo: "Procesado" });
    const { deps } = pollDeps();

    const result = await pollMailbox(deps, mailbox);
    expect(result).toMatchObject({ error: null, failed: [] });
    expect(result.stored).toHaveLength(1);
    expect(await seenOf(creds.user, m.messageId)).toMatchObject({ folder: "Procesado", seen: true });
    expect((await dovecot.messages(creds.user)).filter((x) => x.folder === "INBOX")).toEqual([]);

    // A second message later goes into the now existing folder; nothing is fetched twice.
    const m2 = mailFor(`mv2-${uniq()}`);
    await dovecot.deliver(creds.user, m2.raw);
    expect((await pollMailbox(deps, mailbox)).stored).toHaveLength(1);
    expect(await seenOf(creds.user, m2.messageId)).toMatchObject({ folder: "Procesado", seen: true });
    expect((await pollMailbox(deps, mailbox)).stored).toEqual([]);
    expect(await rowsOf(mailbox.id)).toHaveLength(2);
  });

  it("a wrong password records lastError and changes nothing", async () => {
    const creds = await dovecot.addUser();
    const m = mailFor(`pw-${uniq()}`);
    await dovecot.deliver(creds.user, m.raw);
    const mailbox = await makeMailbox(creds, { password: "not-the-password" });
    const { deps, clock, enqueued } = pollDeps();

    const result = await pollMailbox(deps, mailbox);
    expect(result.error).toMatch(/authentication failed/i);
    expect(result.stored).toEqual([]);
    const row = await db.imapMailbox.findUniqueOrThrow({ where: { id: mailbox.id } });
    expect(row.lastError).toMatch(/authentication failed/i);
    expect(row.lastError).not.toContain("not-the-password");
    // A legacy plain-text password the server refused is left for the admin to fix, not encrypted.
    expect(row.password).toBe("not-the-password");
    expect(row.lastPolledAt).toEqual(clock.now());
    expect(await rowsOf(mailbox.id)).toEqual([]);
    expect(enqueued).toEqual([]);
    expect((await seenOf(creds.user, m.messageId)).seen).toBe(false);
    expect(dovecot.log.join("")).toMatch(/auth failed/);

    // Fixed credentials: the next poll fetches it and clears the error.
    await db.imapMailbox.update({ where: { id: mailbox.id }, data: { password: creds.password } });
    const fixed = await pollMailbox(deps, await db.imapMailbox.findUniqueOrThrow({ where: { id: mailbox.id } }));
    expect(fixed.stored).toHaveLength(1);
    expect(await db.imapMailbox.findUniqueOrThrow({ where: { id: mailbox.id } })).toMatchObject({ lastError: null });
  });

  it("a mail the store cannot take stays unseen on the server while the others are stored; the next poll gets it", async () => {
    const creds = await dovecot.addUser();
    const ok1 = mailFor(`ok1-${uniq()}`);
    const bad = mailFor(`bad-${uniq()}`, { body: "STORE-FAILS-HERE" });
    const ok2 = mailFor(`ok2-${uniq()}`);
    for (const m of [ok1, bad, ok2]) await dovecot.deliver(creds.user, m.raw);
    const mailbox = await makeMailbox(creds);

    // A store whose put throws for one message (after reading it, as a full disk would).
    const failing: BlobStore = {
      ...store,
      async put(prefix, source) {
        const chunks: Buffer[] = [];
        if (Buffer.isBuffer(source)) chunks.push(source);
        else for await (const c of source) chunks.push(c as Buffer);
        const buf = Buffer.concat(chunks);
        if (buf.includes("STORE-FAILS-HERE")) throw new Error("disk full");
        return store.put(prefix, buf);
      },
    };
    const { deps, enqueued } = pollDeps({ store: failing });
    const result = await pollMailbox(deps, mailbox);

    expect(result.error).toBeNull();
    expect(result.stored).toHaveLength(2);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.error).toMatch(/storing message UID \d+ failed: disk full/);
    expect(enqueued).toEqual(result.stored);
    expect((await seenOf(creds.user, ok1.messageId)).seen).toBe(true);
    expect((await seenOf(creds.user, ok2.messageId)).seen).toBe(true);
    expect((await seenOf(creds.user, bad.messageId)).seen).toBe(false);
    expect((await rowsOf(mailbox.id)).map((r) => r.sha256).sort()).toEqual([sha256(ok1.raw), sha256(ok2.raw)].sort());
    expect((await db.imapMailbox.findUniqueOrThrow({ where: { id: mailbox.id } })).lastError).toMatch(/disk full/);

    // Storage is back: the unseen message is fetched now, and only it.
    const retry = await pollMailbox(pollDeps().deps, mailbox);
    expect(retry).toMatchObject({ error: null, failed: [] });
    expect(retry.stored).toHaveLength(1);
    expect((await seenOf(creds.user, bad.messageId)).seen).toBe(true);
    expect(await rowsOf(mailbox.id)).toHaveLength(3);
    expect((await db.imapMailbox.findUniqueOrThrow({ where: { id: mailbox.id } })).lastError).toBeNull();
  });

  it("when the row cannot be written (database failure) the mail stays unseen", async () => {
    const creds = await dovecot.addUser();
    const m = mailFor(`db-${uniq()}`);
    await dovecot.deliver(creds.user, m.raw);
    const mailbox = await makeMailbox(creds);
    // A real refusal by PostgreSQL: the row names a mailbox that is not there (foreign key).
    const result = await pollMailbox(pollDeps().deps, { ...mailbox, id: `missing-${uniq()}` });
    expect(result.stored).toEqual([]);
    expect(result.failed[0]!.error).toMatch(/foreign key/);
    expect((await seenOf(creds.user, m.messageId)).seen).toBe(false);
    expect(await rowsOf(mailbox.id)).toEqual([]);
  });

  it("takes a bounded batch per poll; mail over the size limit is left unseen with a reason and takes no place in the batch", async () => {
    const creds = await dovecot.addUser();
    const bigs = [1, 2].map((i) => mailFor(`big${i}-${uniq()}`, { body: "x".repeat(5000) }));
    const small = [1, 2, 3].map((i) => mailFor(`batch${i}-${uniq()}`));
    for (const m of [...bigs, ...small]) await dovecot.deliver(creds.user, m.raw);
    const mailbox = await makeMailbox(creds);
    const { deps } = pollDeps();
    const opts = { batchSize: 2, maxMessageBytes: 4000 };
    const tooBig = [{ uid: expect.any(Number), error: expect.stringMatching(/over the 4000 byte limit; left unseen/) }];

    const first = await pollMailbox(deps, mailbox, opts);
    expect(first).toMatchObject({ remaining: 1, error: null, failed: [...tooBig, ...tooBig] });
    expect(first.stored).toHaveLength(2);
    const second = await pollMailbox(deps, mailbox, opts);
    expect(second).toMatchObject({ remaining: 0 });
    expect(second.stored).toHaveLength(1);
    expect((await pollMailbox(deps, mailbox, opts)).stored).toEqual([]);

    expect((await rowsOf(mailbox.id)).map((r) => r.sha256).sort()).toEqual(small.map((m) => sha256(m.raw)).sort());
    for (const m of small) expect((await seenOf(creds.user, m.messageId)).seen).toBe(true);
    for (const m of bigs) expect((await seenOf(creds.user, m.messageId)).seen).toBe(false);
    expect((await db.imapMailbox.findUniqueOrThrow({ where: { id: mailbox.id } })).lastError).toMatch(/over the 4000 byte limit/);
  });

  it("pollActiveMailboxes polls every active mailbox and skips inactive ones", async () => {
    const [c1, c2, c3] = [await dovecot.addUser(), await dovecot.addUser(), await dovecot.addUser()];
    const [m1, m2, m3] = [mailFor(`act1-${uniq()}`), mailFor(`act2-${uniq()}`), mailFor(`off-${uniq()}`)];
    await dovecot.deliver(c1.user, m1.raw);
    await dovecot.deliver(c2.user, m2.raw);
    await dovecot.deliver(c3.user, m3.raw);
    const [b1, b2, b3] = [await makeMailbox(c1), await makeMailbox(c2, { password: "wrong" }), await makeMailbox(c3, { active: false })];

    const results = await pollActiveMailboxes(pollDeps().deps);
    const byId = new Map(results.map((r) => [r.mailboxId, r]));
    // A failing mailbox (b2) neither stops nor precedes-and-breaks the others.
    expect(byId.get(b1.id)?.stored).toHaveLength(1);
    expect(byId.get(b2.id)?.error).toMatch(/authentication failed/i);
    expect(byId.has(b3.id)).toBe(false);
    expect((await seenOf(c1.user, m1.messageId)).seen).toBe(true);
    expect((await seenOf(c2.user, m2.messageId)).seen).toBe(false);
    expect((await seenOf(c3.user, m3.messageId)).seen).toBe(false);
    expect(await db.imapMailbox.findUniqueOrThrow({ where: { id: b3.id } })).toMatchObject({ lastPolledAt: null, lastError: null });
    await db.imapMailbox.updateMany({ where: { id: { in: [b1.id, b2.id] } }, data: { active: false } });
  });
});

describe("IMAP passwords encrypted at rest", () => {
  it("an admin save stores only the encrypted password, never returns it, and the poller still logs in and fetches", async () => {
    const creds = await dovecot.addUser();
    const m = mailFor(`enc-${uniq()}`);
    await dovecot.deliver(creds.user, m.raw);

    const view = await saveMailbox(creds);
    // What goes back to the browser: whether a password is set, not the password (nor its ciphertext).
    expect(view).toMatchObject({ username: creds.user, hasPassword: true });
    expect(view).not.toHaveProperty("password");
    const listed = (await listImapMailboxes({ db })).find((x) => x.id === view.id);
    expect(listed).toMatchObject({ id: view.id, hasPassword: true });
    expect(listed).not.toHaveProperty("password");
    for (const out of [view, listed]) expect(JSON.stringify(out)).not.toMatch(new RegExp(`${creds.password}|v1:`));

    // What PostgreSQL holds: the v1: form, nowhere the plain password.
    expect(await storedRow(view.id)).not.toContain(creds.password);
    const stored = (await db.imapMailbox.findUniqueOrThrow({ where: { id: view.id } })).password;
    expect(isSealed(stored)).toBe(true);
    expect(openSecret(secretsKey, stored)).toBe(creds.password);

    const { deps, enqueued } = pollDeps();
    const result = await pollMailbox(deps, await db.imapMailbox.findUniqueOrThrow({ where: { id: view.id } }));
    expect(result).toMatchObject({ error: null, failed: [] });
    expect(result.stored).toHaveLength(1);
    expect(enqueued).toEqual(result.stored);
    expect((await seenOf(creds.user, m.messageId)).seen).toBe(true);
    expect((await rowsOf(view.id)).map((r) => r.sha256)).toEqual([sha256(m.raw)]);
    // Polling leaves the encrypted value alone.
    expect((await db.imapMailbox.findUniqueOrThrow({ where: { id: view.id } })).password).toBe(stored);

    // Editing with an empty password field keeps the stored one; a new password is encrypted afresh.
    const renamed = await updateImapMailbox(sealing(), { id: view.id, name: "Buzón renombrado", password: "" });
    expect(renamed).toMatchObject({ name: "Buzón renombrado", hasPassword: true });
    expect(renamed).not.toHaveProperty("password");
    expect((await db.imapMailbox.findUniqueOrThrow({ where: { id: view.id } })).password).toBe(stored);
    await updateImapMailbox(sealing(), { id: view.id, password: "a-new-password" });
    const changed = (await db.imapMailbox.findUniqueOrThrow({ where: { id: view.id } })).password;
    expect(changed).not.toBe(stored);
    expect(await storedRow(view.id)).not.toContain("a-new-password");
    expect(openSecret(secretsKey, changed)).toBe("a-new-password");
    await expect(updateImapMailbox(sealing(), { id: `missing-${uniq()}`, password: "x" })).rejects.toMatchObject({ code: "IMAP_MAILBOX_NOT_FOUND" });
    await db.imapMailbox.update({ where: { id: view.id }, data: { active: false } });
  });

  it("a legacy plain-text password still works and is encrypted once the server has accepted it", async () => {
    const creds = await dovecot.addUser();
    const m = mailFor(`legacy-${uniq()}`);
    await dovecot.deliver(creds.user, m.raw);
    const legacy = await makeMailbox(creds); // written straight to the table, as before encryption

    const result = await pollMailbox(pollDeps().deps, legacy);
    expect(result).toMatchObject({ error: null, failed: [] });
    expect(result.stored).toHaveLength(1);
    const upgraded = (await db.imapMailbox.findUniqueOrThrow({ where: { id: legacy.id } })).password;
    expect(isSealed(upgraded)).toBe(true);
    expect(openSecret(secretsKey, upgraded)).toBe(creds.password);
    expect(await storedRow(legacy.id)).not.toContain(creds.password);

    // The next poll, from the upgraded row, logs in with the decrypted password.
    const m2 = mailFor(`legacy2-${uniq()}`);
    await dovecot.deliver(creds.user, m2.raw);
    const again = await pollMailbox(pollDeps().deps, await db.imapMailbox.findUniqueOrThrow({ where: { id: legacy.id } }));
    expect(again).toMatchObject({ error: null, failed: [] });
    expect(again.stored).toHaveLength(1);
    expect((await seenOf(creds.user, m2.messageId)).seen).toBe(true);
    await db.imapMailbox.update({ where: { id: legacy.id }, data: { active: false } });
  });

  it("a password that cannot be decrypted (another key) records lastError, never reaches the server, and the next mailbox is still polled", async () => {
    const [c1, c2] = [await dovecot.addUser(), await dovecot.addUser()];
    const [m1, m2] = [mailFor(`wk1-${uniq()}`), mailFor(`wk2-${uniq()}`)];
    await dovecot.deliver(c1.user, m1.raw);
    await dovecot.deliver(c2.user, m2.raw);
    const logBefore = dovecot.log.join("").length;
    const unreadable = await saveMailbox(c1, randomBytes(32)); // sealed under a key this deployment does not have
    const readable = await saveMailbox(c2);
    const sealed = (await db.imapMailbox.findUniqueOrThrow({ where: { id: unreadable.id } })).password;
    const log: string[] = [];
    const { deps, clock } = pollDeps();

    const results = await pollActiveMailboxes(deps, { log: (l) => log.push(l) });
    const byId = new Map(results.map((r) => [r.mailboxId, r]));
    expect(byId.get(unreadable.id)).toMatchObject({ stored: [], failed: [], error: expect.stringMatching(/stored IMAP password unreadable/) });
    expect(byId.get(readable.id)).toMatchObject({ error: null, failed: [] });
    expect(byId.get(readable.id)?.stored).toHaveLength(1);

    const row = await db.imapMailbox.findUniqueOrThrow({ where: { id: unreadable.id } });
    expect(row.lastError).toMatch(/stored IMAP password unreadable \(cannot decrypt: wrong key or tampered value\).*MAIL_SECRETS_KEY/);
    expect(row.lastError).not.toContain(c1.password);
    expect(row.lastError).not.toContain(sealed);
    expect(row.lastPolledAt).toEqual(clock.now());
    expect(row.password).toBe(sealed); // left as it is
    expect(log.join("\n")).toMatch(/stored IMAP password unreadable/);
    expect((await seenOf(c1.user, m1.messageId)).seen).toBe(false);
    expect(await rowsOf(unreadable.id)).toEqual([]);
    expect((await seenOf(c2.user, m2.messageId)).seen).toBe(true);
    // The unreadable mailbox never logged in: nothing was tried with a wrong password (the server logs every login).
    const serverLog = dovecot.log.join("").slice(logBefore);
    expect(serverLog).toContain(c2.user);
    expect(serverLog).not.toContain(c1.user);

    // An admin saving the password again (under this deployment's key) repairs it.
    await updateImapMailbox(sealing(), { id: unreadable.id, password: c1.password });
    const fixed = await pollMailbox(deps, await db.imapMailbox.findUniqueOrThrow({ where: { id: unreadable.id } }));
    expect(fixed).toMatchObject({ error: null, failed: [] });
    expect(fixed.stored).toHaveLength(1);
    expect(await db.imapMailbox.findUniqueOrThrow({ where: { id: unreadable.id } })).toMatchObject({ lastError: null });
    await db.imapMailbox.updateMany({ where: { id: { in: [unreadable.id, readable.id] } }, data: { active: false } });
  });
});

describe("the scheduled poll in the real BullMQ inbound worker", () => {
  let redis: Redis;
  let queue: Queue<InboundJob>;
  let worker: ReturnType<typeof startInboundWorker>;
  const signal = new EventEmitter();
  const done: Array<{ jobId: string; name: string; state: "completed" | "failed"; returnvalue?: unknown; error?: string }> = [];

  beforeAll(async () => {
    redis = createRedis("producer", env.REDIS_URL);
    queue = createInboundQueue(redis, env.REDIS_PREFIX);
    worker = startInboundWorker(env, withInboundQueue(inboundDeps(), queue), silentLogger);
    worker.worker.on("completed", (job, returnvalue) => {
      done.push({ jobId: job.id!, name: job.name, state: "completed", returnvalue });
      signal.emit("job");
    });
    worker.worker.on("failed", (job, err) => {
      if (job) done.push({ jobId: job.id!, name: job.name, state: "failed", error: err.message });
      signal.emit("job");
    });
    await withTimeout(worker.worker.waitUntilReady(), "the inbound worker to connect");
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true }).catch(() => {});
    await queue?.close();
    redis?.disconnect();
  });

  const jobDone = (jobId: string) => waitUntil(signal, "job", () => done.find((j) => j.jobId === jobId), `job ${jobId}`, 20_000);

  it("a poll-imap job fetches the mail, enqueues it, and the same worker turns it into a ticket", async () => {
    // Only this test's mailbox is active now.
    await db.imapMailbox.updateMany({ data: { active: false } });
    const creds = await dovecot.addUser();
    const m = mailFor(`job-${uniq()}`);
    await dovecot.deliver(creds.user, m.raw);
    const mailbox = await makeMailbox(creds);

    const job = await queue.add("poll-imap", { kind: "poll-imap" });
    const polled = await jobDone(job.id!);
    expect(polled).toMatchObject({ state: "completed", returnvalue: [{ mailboxId: mailbox.id, stored: 1, failed: 0, error: null }] });
    const [row] = await rowsOf(mailbox.id);
    expect((await seenOf(creds.user, m.messageId)).seen).toBe(true);

    const processed = await jobDone(`inbound-${row!.id}`);
    expect(processed).toMatchObject({ state: "completed", returnvalue: "PROCESSED" });
    const stored = await db.inboundMail.findUniqueOrThrow({ where: { id: row!.id } });
    expect(stored).toMatchObject({ status: "PROCESSED", source: "imap", dedupeKey: m.messageId });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: stored.ticketId! } })).toMatchObject({ channel: "EMAIL", subject: expect.stringMatching(/^Consulta job-/) });
  });
});
