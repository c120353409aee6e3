// The admin API of the IMAP mailboxes (admin router): who may use it, what it stores and returns,
// how it refuses bad input, and "Probar conexión" against a real IMAP server (a private Dovecot,
// tests/support/dovecot.ts), whose state is read back from its maildirs, not through the client.
import { randomBytes } from "node:crypto";
import net from "node:net";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { es } from "~/i18n/es";
import { en } from "~/i18n/en";
import { testImapConnection } from "~/server/modules/mail/admin/imap-connection-test";
import { createImapMailbox } from "~/server/modules/mail/admin/imap-mailboxes";
import { isSealed, mailSecretsKey, openSecret } from "~/server/modules/mail/admin/secret-box";
import { startDovecot, type Dovecot } from "./support/dovecot";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { uniq } from "./support/uniq";

const secretsKey = mailSecretsKey(env);
const { deps } = testDeps();

let dovecot: Dovecot;
/** Every mailbox these tests create, deleted at the end: the IMAP poller tests poll whatever is active. */
const created = new Set<string>();

beforeAll(async () => {
  dovecot = await startDovecot({ users: 8 });
});

afterAll(async () => {
  await db.inboundMail.deleteMany({ where: { imapMailboxId: { in: [...created] } } });
  await db.imapMailbox.deleteMany({ where: { id: { in: [...created] } } });
  await dovecot?.stop();
});

async function admin(locale?: "es" | "en") {
  return callerFor(deps, (await makeUser("ADMIN")).id, locale ? { locale } : {});
}

/** The settings of a mailbox of the form; inactive, so that no poll (of another test file) touches it. */
function form(extra: Record<string, unknown> = {}) {
  return { name: `Soporte ${uniq()}`, host: "imap.example.test", port: 993, secure: true, username: `soporte-${uniq()}@example.test`, password: `pw-${uniq()}-secret`, active: false, ...extra };
}

async function createVia(caller: Awaited<ReturnType<typeof admin>>, input: ReturnType<typeof form>) {
  const view = await caller.admin.createImapMailbox(input);
  created.add(view.id);
  return view;
}

/** The fields a validation error is about, with the code each was refused with. */
function issuesOf(err: TRPCError): Record<string, string> {
  expect(err.cause).toBeInstanceOf(ZodError);
  return Object.fromEntries((err.cause as ZodError).issues.map((i) => [i.path.join("."), i.message]));
}

const rowOf = (id: string) => db.imapMailbox.findUniqueOrThrow({ where: { id } });

/** A rejection as the browser gets it: tRPC code, localized message, the field it is about. */
async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the call is refused").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

/** A TCP server on loopback that accepts connections and never says a word (no IMAP greeting). */
async function silentServer() {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => sockets.length,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A loopback port nothing listens on. */
async function closedPort() {
  const s = await silentServer();
  await s.close();
  return s.port;
}

/** What the server holds for a user, per message: folder and flags (the maildir, not IMAP). */
async function serverState(user: string) {
  return (await dovecot.messages(user)).map((m) => ({ folder: m.folder, messageId: m.messageId, flags: m.flags, seen: m.seen })).sort((a, b) => String(a.messageId).localeCompare(String(b.messageId)));
}

function rawMail(tag: string) {
  return [`From: Cliente <cliente-${tag}@example.test>`, "To: soporte@ventanilla.test", `Subject: Consulta ${tag}`, "Date: Mon, 02 Mar 2026 09:00:00 +0000", `Message-ID: <${tag}@cliente.test>`, "", "Hola."].join("\r\n") + "\r\n";
}

describe("admin IMAP mailboxes: who may use them", () => {
  it("agents and customers get FORBIDDEN for every procedure and change nothing; signed out is UNAUTHORIZED", async () => {
    const a = await admin();
    const view = await createVia(a, form());
    const before = await rowOf(view.id);
    const count = await db.imapMailbox.count();
    for (const role of ["AGENT", "CUSTOMER"] as const) {
      const caller = await callerFor(deps, (await makeUser(role)).id);
      const calls = [
        caller.admin.imapMailboxes(),
        caller.admin.createImapMailbox(form()),
        caller.admin.updateImapMailbox({ id: view.id, name: "Cambiado", password: "otra" }),
        caller.admin.setImapMailboxActive({ id: view.id, active: true }),
        caller.admin.deleteImapMailbox({ id: view.id }),
        caller.admin.testImapMailbox({ id: view.id }),
      ];
      for (const call of calls) {
        const err = await refusal(call);
        expect(err.code).toBe("FORBIDDEN");
        expect(err.message).toBe(es.errors.FORBIDDEN);
      }
    }
    const anonymous = await callerFor(deps, null);
    expect((await refusal(anonymous.admin.imapMailboxes())).code).toBe("UNAUTHORIZED");
    expect((await refusal(anonymous.admin.testImapMailbox({ id: view.id }))).code).toBe("UNAUTHORIZED");
    expect(await rowOf(view.id)).toEqual(before);
    expect(await db.imapMailbox.count()).toBe(count);
  });
});

describe("admin IMAP mailboxes: create, list, update, activate, delete", () => {
  it("create stores the password encrypted; the list says hasPassword and never carries the password", async () => {
    const a = await admin();
    const input = form({ moveTo: "  Procesados  " });
    const view = await createVia(a, input);
    expect(view).toMatchObject({ name: input.name, host: "imap.example.test", port: 993, secure: true, folder: "INBOX", moveTo: "Procesados", active: false, hasPassword: true, lastPolledAt: null, lastError: null });
    expect(view).not.toHaveProperty("password");

    const listed = (await a.admin.imapMailboxes()).find((m) => m.id === view.id);
    expect(listed).toMatchObject({ id: view.id, username: input.username, hasPassword: true });
    expect(listed).not.toHaveProperty("password");
    const stored = (await rowOf(view.id)).password;
    // Neither the password nor its ciphertext leaves the server.
    for (const out of [view, listed]) {
      const text = JSON.stringify(out);
      expect(text).not.toContain(input.password);
      expect(text).not.toContain(stored);
      expect(text).not.toContain("v1:");
    }
    expect(isSealed(stored)).toBe(true);
    expect(openSecret(secretsKey, stored)).toBe(input.password);
  });

  it("an empty password keeps the stored one, a new one replaces it, and a new server or user needs it typed again", async () => {
    const a = await admin();
    const input = form({ moveTo: "Procesados" });
    const view = await createVia(a, input);
    const sealed = (await rowOf(view.id)).password;

    const renamed = await a.admin.updateImapMailbox({ id: view.id, name: "Soporte renombrado", port: 143, secure: false, password: "" });
    expect(renamed).toMatchObject({ name: "Soporte renombrado", port: 143, secure: false, hasPassword: true, moveTo: "Procesados" });
    expect(renamed).not.toHaveProperty("password");
    expect((await rowOf(view.id)).password).toBe(sealed);

    // The stored password only ever goes to the server and user it was typed for.
    const before = await rowOf(view.id);
    for (const change of [{ host: "imap.elsewhere.test" }, { username: "otro@example.test" }]) {
      const err = await refusal(a.admin.updateImapMailbox({ id: view.id, ...change, password: "" }));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.message).toBe(es.errors.IMAP_PASSWORD_REENTER);
      expect(await rowOf(view.id)).toEqual(before);
    }
    // The same host in other capitals is the same server.
    await a.admin.updateImapMailbox({ id: view.id, host: "IMAP.Example.TEST", password: "" });
    expect((await rowOf(view.id)).password).toBe(sealed);

    const moved = await a.admin.updateImapMailbox({ id: view.id, host: "imap.elsewhere.test", password: "la-nueva-clave" });
    expect(moved).toMatchObject({ host: "imap.elsewhere.test", hasPassword: true });
    const resealed = (await rowOf(view.id)).password;
    expect(resealed).not.toBe(sealed);
    expect(openSecret(secretsKey, resealed)).toBe("la-nueva-clave");

    const missing = await refusal(a.admin.updateImapMailbox({ id: `missing-${uniq()}`, name: "x" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe(es.errors.IMAP_MAILBOX_NOT_FOUND);
  });

  it("activate and deactivate change only `active` (the move-to folder and the password stay)", async () => {
    const a = await admin();
    const view = await createVia(a, form({ moveTo: "Procesados" }));
    const before = await rowOf(view.id);
    expect(await a.admin.setImapMailboxActive({ id: view.id, active: true })).toMatchObject({ active: true, moveTo: "Procesados" });
    expect(await rowOf(view.id)).toEqual({ ...before, active: true });
    expect(await a.admin.setImapMailboxActive({ id: view.id, active: false })).toMatchObject({ active: false });
    expect(await rowOf(view.id)).toEqual(before);
  });

  it("delete removes the mailbox and keeps the mail already fetched from it, unlinked", async () => {
    const a = await admin();
    const view = await createVia(a, form());
    const mail = await db.inboundMail.create({
      data: { storageKey: `raw/none-${uniq()}`, sha256: "0".repeat(64), size: 1, envelopeTo: [], source: "imap", imapMailboxId: view.id, status: "IGNORED", reason: "test" },
    });
    expect(await a.admin.deleteImapMailbox({ id: view.id })).toEqual({ id: view.id });
    expect(await db.imapMailbox.findUnique({ where: { id: view.id } })).toBeNull();
    expect((await a.admin.imapMailboxes()).map((m) => m.id)).not.toContain(view.id);
    expect(await db.inboundMail.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ id: mail.id, imapMailboxId: null, status: "IGNORED" });
    await db.inboundMail.delete({ where: { id: mail.id } });

    const again = await refusal(a.admin.deleteImapMailbox({ id: view.id }));
    expect(again.code).toBe("NOT_FOUND");
    expect(again.message).toBe(es.errors.IMAP_MAILBOX_NOT_FOUND);
  });

  it("a bad port or host is refused with a localized message naming the field, and nothing is stored or changed", async () => {
    const a = await admin();
    const view = await createVia(a, form());
    const before = await rowOf(view.id);
    const count = await db.imapMailbox.count();
    const cases: Array<[Record<string, unknown>, "port" | "host", keyof typeof es.errors]> = [
      [{ port: 0 }, "port", "IMAP_PORT_INVALID"],
      [{ port: 70000 }, "port", "IMAP_PORT_INVALID"],
      [{ port: 993.5 }, "port", "IMAP_PORT_INVALID"],
      [{ port: Number.NaN }, "port", "IMAP_PORT_INVALID"], // the form's empty port field
      [{ host: "" }, "host", "IMAP_HOST_REQUIRED"],
      [{ host: "imap://imap.example.test" }, "host", "IMAP_HOST_INVALID"],
      [{ host: "imap.example.test:993" }, "host", "IMAP_HOST_INVALID"],
      [{ host: "imap example test" }, "host", "IMAP_HOST_INVALID"],
    ];
    for (const [bad, field, code] of cases) {
      const created = await refusal(a.admin.createImapMailbox(form(bad)));
      expect(created.code).toBe("BAD_REQUEST");
      expect(created.message).toBe(es.errors[code]);
      expect(issuesOf(created)).toEqual({ [field]: code });
      const updated = await refusal(a.admin.updateImapMailbox({ id: view.id, ...bad, password: "nueva" }));
      expect(updated.message).toBe(es.errors[code]);
    }
    // In English for an admin who reads English.
    const english = await admin("en");
    expect((await refusal(english.admin.createImapMailbox(form({ port: 0 })))).message).toBe(en.errors.IMAP_PORT_INVALID);
    expect((await refusal(english.admin.createImapMailbox(form({ host: "imap://x" })))).message).toBe(en.errors.IMAP_HOST_INVALID);
    expect((await refusal(english.admin.createImapMailbox(form({ password: "" })))).message).toBe(en.errors.IMAP_PASSWORD_REQUIRED);

    expect(await db.imapMailbox.count()).toBe(count);
    expect(await rowOf(view.id)).toEqual(before);
  });
});

describe("admin IMAP mailboxes: Probar conexión against Dovecot", () => {
  it("good credentials: success with the folder's counts, and nothing on the server is fetched, flagged or moved", async () => {
    const creds = await dovecot.addUser();
    const [unseen, seen] = [`unseen-${uniq()}`, `seen-${uniq()}`];
    await dovecot.deliver(creds.user, rawMail(unseen));
    await dovecot.deliver(creds.user, rawMail(seen), { flags: "S" });
    const before = await serverState(creds.user);
    expect(before.map((m) => [m.messageId, m.seen])).toEqual([[`<${seen}@cliente.test>`, true], [`<${unseen}@cliente.test>`, false]]);
    const a = await admin();

    // The form of a mailbox not saved yet.
    const settings = { host: dovecot.host, port: dovecot.port, secure: false, username: creds.user, folder: "INBOX" };
    const fromForm = await a.admin.testImapMailbox({ ...settings, password: creds.password });
    expect(fromForm).toEqual({ ok: true, folder: "INBOX", messages: 2, unseen: 1, message: `Conexión correcta con ${dovecot.host}. Carpeta «INBOX»: 2 en total, 1 sin leer.` });

    // A saved mailbox, with the password it stored (encrypted).
    const view = await createVia(a, form({ ...settings, password: creds.password }));
    const stored = await rowOf(view.id);
    expect(await a.admin.testImapMailbox({ id: view.id })).toMatchObject({ ok: true, messages: 2, unseen: 1 });
    // Its edit form, password field left empty, another port and folder typed in: the stored password, the typed settings.
    expect(await a.admin.testImapMailbox({ id: view.id, ...settings, port: dovecot.port, folder: "inbox" })).toMatchObject({ ok: true });
    const english = await admin("en");
    expect((await english.admin.testImapMailbox({ id: view.id })).message).toBe(`Connected to ${dovecot.host}. Folder “INBOX”: 2 in total, 1 unread.`);

    expect(await serverState(creds.user)).toEqual(before);
    expect(await db.inboundMail.count({ where: { imapMailboxId: view.id } })).toBe(0);
    // A test is not a poll: the poller's record of the mailbox is left alone.
    expect(await rowOf(view.id)).toEqual(stored);
  });

  it("a wrong password: the failure sentence with the server's own words, never the password; nothing flagged", async () => {
    const creds = await dovecot.addUser();
    const tag = `wrong-${uniq()}`;
    await dovecot.deliver(creds.user, rawMail(tag));
    const before = await serverState(creds.user);
    const a = await admin();
    const wrong = `wrong-${randomBytes(6).toString("hex")}`;
    const settings = { host: dovecot.host, port: dovecot.port, secure: false, username: creds.user };

    const r = await a.admin.testImapMailbox({ ...settings, password: wrong });
    expect(r).toMatchObject({ ok: false, reason: "auth" });
    expect(r.message).toMatch(new RegExp(`^El servidor 127\\.0\\.0\\.1 rechazó el usuario «${creds.user}» o la contraseña\\. Respuesta del servidor: .*Authentication failed`));
    expect(JSON.stringify(r)).not.toContain(wrong);

    // The same through a saved mailbox whose stored password is wrong, in English.
    const view = await createVia(a, form({ ...settings, password: wrong }));
    const english = await admin("en");
    const saved = await english.admin.testImapMailbox({ id: view.id });
    expect(saved).toMatchObject({ ok: false, reason: "auth" });
    expect(saved.message).toMatch(new RegExp(`^The server 127\\.0\\.0\\.1 rejected the username “${creds.user}” or the password\\. The server said: .*Authentication failed`));

    expect(await serverState(creds.user)).toEqual(before);
    expect(before[0]).toMatchObject({ seen: false, flags: "" });
  });

  it("a folder that does not exist, a closed port and TLS against a plain-text port each get their own sentence", async () => {
    const creds = await dovecot.addUser();
    const a = await admin();
    const settings = { host: dovecot.host, port: dovecot.port, secure: false, username: creds.user, password: creds.password };

    const folder = await a.admin.testImapMailbox({ ...settings, folder: "NoExiste" });
    expect(folder).toMatchObject({ ok: false, reason: "folder" });
    expect(folder.message).toMatch(/^El inicio de sesión es correcto, pero no se pudo abrir la carpeta «NoExiste»: .+/);

    const port = await closedPort();
    const refused = await a.admin.testImapMailbox({ ...settings, port });
    expect(refused).toMatchObject({ ok: false, reason: "refused" });
    expect(refused.message).toMatch(new RegExp(`^127\\.0\\.0\\.1 rechazó la conexión al puerto ${port}: compruebe el puerto\\. \\(.*ECONNREFUSED`));

    const tls = await a.admin.testImapMailbox({ ...settings, secure: true });
    expect(tls).toMatchObject({ ok: false, reason: "tls" });
    expect(tls.message).toMatch(new RegExp(`^No se pudo establecer la conexión cifrada con 127\\.0\\.0\\.1:${dovecot.port}: compruebe la opción TLS y el puerto \\(993 con TLS, 143 sin él\\)\\. \\(ERR_SSL_[A-Z_]+: [a-z ]+\\)$`));
  });

  it("a server that never answers is given up after 10 s", async () => {
    const silent = await silentServer();
    try {
      const a = await admin();
      const started = Date.now();
      const r = await a.admin.testImapMailbox({ host: "127.0.0.1", port: silent.port, secure: false, username: "nadie", password: "x" });
      const elapsed = Date.now() - started;
      expect(r).toMatchObject({ ok: false, reason: "timeout" });
      expect(r.message).toBe(`127.0.0.1:${silent.port} no respondió en 10 s: compruebe el servidor, el puerto y la opción TLS.`);
      expect(elapsed).toBeGreaterThanOrEqual(9_500);
      expect(elapsed).toBeLessThan(13_000);
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it("a saved mailbox's password is never sent to another server or user: it must be typed again", async () => {
    const silent = await silentServer();
    try {
      const a = await admin();
      const view = await createVia(a, form({ host: "127.0.0.1", port: silent.port, secure: false }));
      for (const change of [{ host: "localhost" }, { username: "otro" }]) {
        const err = await refusal(a.admin.testImapMailbox({ id: view.id, ...change }));
        expect(err.code).toBe("BAD_REQUEST");
        expect(err.message).toBe(es.errors.IMAP_PASSWORD_REENTER);
      }
      expect(silent.connections()).toBe(0);
      const missing = await refusal(a.admin.testImapMailbox({ id: `missing-${uniq()}` }));
      expect(missing.message).toBe(es.errors.IMAP_MAILBOX_NOT_FOUND);
      // An unsaved mailbox needs the server, the user and the password.
      const incomplete = await refusal(a.admin.testImapMailbox({ host: "127.0.0.1" }));
      expect(incomplete.message).toBe(es.errors.IMAP_USERNAME_REQUIRED);
      expect(issuesOf(incomplete)).toEqual({ username: "IMAP_USERNAME_REQUIRED", password: "IMAP_PASSWORD_REQUIRED" });
    } finally {
      await silent.close();
    }
  });

  it("a stored password this deployment cannot decrypt is reported as such, without connecting", async () => {
    const silent = await silentServer();
    try {
      const view = await createImapMailbox({ db, secrets: { session: "", mailKey: randomBytes(32) } }, { name: `Otra clave ${uniq()}`, host: "127.0.0.1", port: silent.port, secure: false, username: "u", password: "p", active: false });
      created.add(view.id);
      const r = await testImapConnection({ db, secrets: { session: "", mailKey: secretsKey } }, { id: view.id });
      expect(r).toMatchObject({ ok: false, reason: "passwordUnreadable", message: es.imapMailboxes.test.passwordUnreadable });
      expect(silent.connections()).toBe(0);
    } finally {
      await silent.close();
    }
  });
});
