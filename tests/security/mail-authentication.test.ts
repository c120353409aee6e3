// Who wrote a mail (issue 11, point 2), end to end: mail delivered over real SMTP to the production
// intake listener, processed by the real pipeline against PostgreSQL, read back through the real
// tRPC router as the customer and as an agent. DNS is a local map of TXT records; DKIM signatures
// are made here with a generated key (mailauth's dkimSign), so the verdicts are real verifications.
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { dkimSign } from "mailauth";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlOf } from "~/server/db/client";
import { replyAddress } from "~/server/modules/mail/trust/support-addresses";
import { cachedDnsResolver, type DnsResolver } from "~/server/modules/mail/trust/authenticate-mail";
import { processInboundMail, type InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { storeInboundMail } from "~/server/modules/mail/intake/store-inbound-mail";
import { ensureStaffReplyToken } from "~/server/modules/mail/trust/staff-reply-token";
import { sendOutboundEmail } from "~/server/modules/notifications/send-email";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { callerFor, db, makeUser, testDeps } from "../support/fixtures";
import { SUPPORT, inboundDeps, mailbox, rawMail, sendRaw, startIntake, type Intake } from "../support/inbound-mail";
import { uniq } from "../support/uniq";

let dir: string;
let store: BlobStore;
let intake: Intake;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-mailauth-"));
  store = localBlobStore(dir);
  intake = await startIntake({ store, maxMessageBytes: 512 * 1024, maxAttachmentBytes: 256 * 1024 });
});

afterAll(async () => {
  try {
    await intake?.close();
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});

const pool = () => sqlOf(db);

// One signing key per domain, published (or not) by the test DNS below.
function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    dnsRecord: `v=DKIM1; k=rsa; p=${publicKey.export({ type: "spki", format: "der" }).toString("base64")}`,
  };
}
const ourKey = keyPair();
const evilKey = keyPair();
const bankKey = keyPair();

const notFound = (name: string) => Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });

/** A DNS that knows only these TXT records (the shape node's resolver returns: chunks per record). */
function txtDns(records: Record<string, string[]>): DnsResolver {
  return async (name, rrtype) => {
    const list = rrtype === "TXT" ? records[name.toLowerCase()] : undefined;
    if (!list) throw notFound(name);
    return list.map((r) => [r]);
  };
}

/** Our domain, another domain and a bank publish their keys; the bank also SPF -all and DMARC p=reject. */
const dns = txtDns({
  "vt2026._domainkey.ventanilla.test": [ourKey.dnsRecord],
  "sel._domainkey.evil.test": [evilKey.dnsRecord],
  "bank._domainkey.banco.test": [bankKey.dnsRecord],
  "banco.test": ["v=spf1 -all"],
  "_dmarc.banco.test": ["v=DMARC1; p=reject"],
});

const deps = () => inboundDeps(store, {}, { resolver: dns });

async function sign(raw: string, domain: string, selector: string, privateKey: string): Promise<string> {
  const key = { signingDomain: domain, selector, privateKey };
  // mailauth signs what `signatureData` lists (its typings ask for the same fields at the top level too).
  // `signTime` is required for a stable signature: without it mailauth (4.13) reads the clock twice,
  // once for the t= it signs and once for the t= it writes (Math.round(Date.now() / 1000) in
  // formatSignatureHeaderLine), and when RSA signing straddles a half second (a loaded CPU, a GC
  // pause) the two differ and the signature is a "fail (bad signature)".
  const { signatures, errors } = await dkimSign(raw, { ...key, canonicalization: "relaxed/relaxed", signatureData: [key], signTime: new Date() });
  expect(signatures).toMatch(/^DKIM-Signature: /);
  expect(errors).toEqual([]);
  return signatures + raw;
}

/** Delivers over real SMTP (nodemailer) to the intake listener, then runs the worker's processing step. */
async function receive(d: InboundDeps, raw: string, envelope: { from: string; to?: string[] }) {
  const res = await sendRaw(intake.port, { from: envelope.from, to: envelope.to ?? [SUPPORT] }, raw);
  expect(res, res.response).toMatchObject({ ok: true, code: 250 });
  await intake.enqueuedId(res.id!);
  const outcome = await processInboundMail(d, res.id!);
  return { id: res.id!, outcome };
}

/** Columns the generated Prisma client may not know yet (read with plain SQL, as the mail path writes them). */
async function messageFlags(messageId: string) {
  const { rows } = await pool().query<{ internal: boolean; unverifiedSender: boolean; dmarcFailed: boolean; authorId: string | null; ticketId: string }>(
    `SELECT internal, "unverifiedSender", "dmarcFailed", "authorId", "ticketId" FROM "Message" WHERE id = $1`,
    [messageId],
  );
  return rows[0]!;
}
async function inboundRow(id: string) {
  const { rows } = await pool().query<{ status: string; authResults: unknown; clientIp: string | null; helo: string | null; source: string }>(
    `SELECT status::text AS status, "authResults", "clientIp", helo, source FROM "InboundMail" WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}

function processed(outcome: Awaited<ReturnType<typeof processInboundMail>>) {
  if (outcome.status !== "PROCESSED") throw new Error(`expected PROCESSED, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** A staff member with an address at the support domain, as the demo's agente@ventanilla.test. */
async function makeAgent(name = "Luis Agente") {
  return db.user.create({ data: { email: `agente-${uniq()}@ventanilla.test`, name, role: "AGENT", locale: "es" } });
}

/**
 * A customer's portal ticket the agent has answered (so the agent is a participant: a `[#n]` tag
 * from them threads), then set to "waiting on the customer".
 */
async function answeredTicket() {
  const { deps: setup } = testDeps();
  const customer = await makeUser("CUSTOMER", { name: "Clara Cliente" });
  const agent = await makeAgent();
  const created = await (await callerFor(setup, customer.id)).ticket.create({ subject: "Factura duplicada", description: "Me cobraron dos veces." });
  const asAgent = await callerFor(setup, agent.id);
  await asAgent.ticket.reply({ ticketId: created.id, body: "Lo revisamos y le escribimos." });
  await asAgent.ticket.setStatus({ ticketId: created.id, status: "WAITING_ON_CUSTOMER" });
  const ticket = await db.ticket.findUniqueOrThrow({ where: { id: created.id } });
  return { customer, agent, ticket, setup };
}

const outboundCount = (ticketId: string) => db.outboundEmail.count({ where: { ticketId } });

/** What a customer and an agent get from the real `ticket.get`. */
async function views(setup: ReturnType<typeof testDeps>["deps"], number: number, customerId: string, agentId: string) {
  const asCustomer = await (await callerFor(setup, customerId)).ticket.get({ number });
  const asAgent = await (await callerFor(setup, agentId)).ticket.get({ number });
  return { asCustomer, asAgent };
}

describe("a mail from a staff address is posted as them only when it proves it", () => {
  it("spoofed staff From without personal address or DKIM: internal note flagged unverifiedSender, no customer mail, status unchanged, invisible to the customer", async () => {
    const { customer, agent, ticket, setup } = await answeredTicket();
    const mailsBefore = await outboundCount(ticket.id);
    const eventsBefore = await db.ticketEvent.count({ where: { ticketId: ticket.id } });
    const { deps: d, bus } = deps();
    const raw = rawMail({
      from: `Luis Agente <${agent.email}>`,
      subject: `Re: [#${ticket.number}] Factura duplicada`,
      messageId: `<spoof-${uniq()}@attacker.test>`,
      body: "Para el reembolso confirme su tarjeta aquí: http://ventanilla-reembolsos.test/pago",
    });
    const { id, outcome } = await receive(d, raw, { from: agent.email });

    const { messageId, ticketId } = processed(outcome);
    expect(ticketId).toBe(ticket.id);
    expect(await messageFlags(messageId)).toMatchObject({ internal: true, unverifiedSender: true, authorId: agent.id });
    const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { events: { orderBy: { createdAt: "asc" } } } });
    expect(after.status).toBe("WAITING_ON_CUSTOMER");
    expect(after.events.slice(eventsBefore).map((e) => e.type)).toEqual(["NOTE_ADDED"]);
    expect(await outboundCount(ticket.id)).toBe(mailsBefore);
    // Announced to staff rooms only, with no mail to send.
    expect(bus.events).toEqual([
      { type: "message.created", ticketId: ticket.id, number: ticket.number, requesterId: customer.id, messageId, internal: true, emailIds: [] },
    ]);

    const { asCustomer, asAgent } = await views(setup, ticket.number, customer.id, agent.id);
    expect(asCustomer.messages.map((m) => m.id)).not.toContain(messageId);
    expect(JSON.stringify(asCustomer)).not.toContain("ventanilla-reembolsos");
    expect(asCustomer.events.filter((e) => e.type === "NOTE_ADDED")).toEqual([]);
    expect(asAgent.messages.find((m) => m.id === messageId)).toMatchObject({ internal: true, unverifiedSender: true, dmarcFailed: false });
    // Nothing vouched for it: no signature, no DNS records for the domain.
    expect((await inboundRow(id)).authResults).toMatchObject({ dkim: [{ result: "none" }], dmarc: { result: "none" } });
  });

  it("staff From via their own personal reply address: a public message by the agent", async () => {
    const { customer, agent, ticket, setup } = await answeredTicket();
    const personal = replyAddress(mailbox, ticket.replyToken, await ensureStaffReplyToken(pool(), agent.id));
    expect(personal).toMatch(new RegExp(`^soporte\\+${ticket.replyToken}-[0-9a-z]{16,64}@ventanilla\\.test$`));
    const { deps: d, bus } = deps();
    const raw = rawMail({ from: agent.email, to: personal, subject: "Re: Factura duplicada", messageId: `<own-${uniq()}@ventanilla.test>`, body: "Ya está reembolsado." });
    const { outcome } = await receive(d, raw, { from: agent.email, to: [personal] });

    const { messageId, ticketId } = processed(outcome);
    expect(ticketId).toBe(ticket.id);
    expect(await messageFlags(messageId)).toMatchObject({ internal: false, unverifiedSender: false, authorId: agent.id });
    expect(bus.events[0]).toMatchObject({ type: "message.created", messageId, internal: false });
    const { asCustomer } = await views(setup, ticket.number, customer.id, agent.id);
    expect(asCustomer.messages.find((m) => m.id === messageId)).toMatchObject({ bodyText: "Ya está reembolsado.", author: { name: agent.name, role: "AGENT" } });
  });

  it("staff From via another agent's personal address, or a forged user token: an unverified internal note", async () => {
    const { customer, agent, ticket, setup } = await answeredTicket();
    const colleague = await makeAgent("Otra Agente");
    const colleagues = replyAddress(mailbox, ticket.replyToken, await ensureStaffReplyToken(pool(), colleague.id));
    const forged = replyAddress(mailbox, ticket.replyToken, "0123456789abcdefghjkmnpq");
    await ensureStaffReplyToken(pool(), agent.id);
    for (const to of [colleagues, forged]) {
      const { deps: d } = deps();
      const raw = rawMail({ from: agent.email, to, subject: "Re: Factura duplicada", messageId: `<other-${uniq()}@attacker.test>`, body: "Pague aquí." });
      const { outcome } = await receive(d, raw, { from: agent.email, to: [to] });
      // The ticket part still threads it; the user part proves nothing about this sender.
      const { messageId, ticketId } = processed(outcome);
      expect(ticketId).toBe(ticket.id);
      expect(await messageFlags(messageId)).toMatchObject({ internal: true, unverifiedSender: true });
      const { asCustomer } = await views(setup, ticket.number, customer.id, agent.id);
      expect(asCustomer.messages.map((m) => m.id)).not.toContain(messageId);
    }
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("WAITING_ON_CUSTOMER");
  });

  it("an agent's personal address of one ticket proves nothing on another (a leaked address opens no other thread)", async () => {
    const second = await answeredTicket();
    const token = await ensureStaffReplyToken(pool(), second.agent.id);
    // The agent's own token, on another thread's address, but the mail is aimed at this ticket by its tag.
    const leaked = replyAddress(mailbox, "0123456789abcdefghjkmnpq", token);
    const { deps: d } = deps();
    const raw = rawMail({ from: second.agent.email, to: leaked, subject: `Re: [#${second.ticket.number}] Factura duplicada`, messageId: `<leak-${uniq()}@attacker.test>`, body: "Pague aquí." });
    const { outcome } = await receive(d, raw, { from: second.agent.email, to: [leaked] });
    const { messageId } = processed(outcome);
    expect(await messageFlags(messageId)).toMatchObject({ internal: true, unverifiedSender: true });
    // And on its own ticket's address it does prove the agent.
    const own = replyAddress(mailbox, second.ticket.replyToken, token);
    const again = await receive(deps().deps, rawMail({ from: second.agent.email, to: own, subject: "Re: Factura duplicada", messageId: `<own2-${uniq()}@ventanilla.test>`, body: "Hecho." }), { from: second.agent.email, to: [own] });
    expect(await messageFlags(processed(again.outcome).messageId)).toMatchObject({ internal: false, unverifiedSender: false });
  });

  it("staff From with a valid DKIM signature d=support domain: posted as the agent", async () => {
    const { customer, agent, ticket, setup } = await answeredTicket();
    const { deps: d } = deps();
    const raw = await sign(
      rawMail({ from: `Luis Agente <${agent.email}>`, subject: `Re: [#${ticket.number}] Factura duplicada`, messageId: `<dkim-${uniq()}@ventanilla.test>`, body: "Reembolso hecho." }),
      "ventanilla.test",
      "vt2026",
      ourKey.privateKey,
    );
    const { id, outcome } = await receive(d, raw, { from: agent.email });

    const { messageId, ticketId } = processed(outcome);
    expect(ticketId).toBe(ticket.id);
    expect(await messageFlags(messageId)).toMatchObject({ internal: false, unverifiedSender: false, authorId: agent.id });
    expect((await inboundRow(id)).authResults).toMatchObject({ dkim: [{ result: "pass", domain: "ventanilla.test", selector: "vt2026" }] });
    const { asCustomer } = await views(setup, ticket.number, customer.id, agent.id);
    expect(asCustomer.messages.map((m) => m.id)).toContain(messageId);
  });

  it("staff From with DKIM signed by a different domain: unverified", async () => {
    const { customer, agent, ticket, setup } = await answeredTicket();
    const { deps: d } = deps();
    const raw = await sign(
      rawMail({ from: agent.email, subject: `Re: [#${ticket.number}] Factura duplicada`, messageId: `<evil-${uniq()}@evil.test>`, body: "Pague aquí." }),
      "evil.test",
      "sel",
      evilKey.privateKey,
    );
    const { id, outcome } = await receive(d, raw, { from: agent.email });

    const { messageId } = processed(outcome);
    // The signature is valid, but it is evil.test's word, not ours.
    expect((await inboundRow(id)).authResults).toMatchObject({ dkim: [{ result: "pass", domain: "evil.test" }] });
    expect(await messageFlags(messageId)).toMatchObject({ internal: true, unverifiedSender: true });
    const { asCustomer } = await views(setup, ticket.number, customer.id, agent.id);
    expect(asCustomer.messages.map((m) => m.id)).not.toContain(messageId);
  });

  it("a staff member's ticket mail carries their personal Reply-To, and their reply to it is posted as them", async () => {
    const { deps: setup } = testDeps();
    const agent = await makeAgent();
    // An agent can be a requester (their own ticket): the confirmation mail goes to them.
    const created = await (await callerFor(setup, agent.id)).ticket.create({ subject: "Portátil nuevo", description: "Necesito un portátil." });
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: created.id } });
    const staged = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "ticket_created" } });
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    expect(await sendOutboundEmail({ db, clock: setup.clock, transport, mail: setup.mail }, staged.id, { finalAttempt: false })).toBe("sent");
    const token = (await pool().query<{ replyToken: string }>(`SELECT "replyToken" FROM "User" WHERE id = $1`, [agent.id])).rows[0]!.replyToken;
    expect(token).toMatch(/^[0-9a-z]{24}$/);
    const personal = `soporte+${ticket.replyToken}-${token}@ventanilla.test`;
    expect((await db.outboundEmail.findUniqueOrThrow({ where: { id: staged.id } })).replyTo).toBe(personal);

    const { deps: d } = deps();
    const raw = rawMail({ from: agent.email, to: personal, subject: "Re: Portátil nuevo", messageId: `<mine-${uniq()}@ventanilla.test>`, body: "Mejor uno de 14 pulgadas." });
    const { outcome } = await receive(d, raw, { from: agent.email, to: [personal] });
    const { messageId, ticketId } = processed(outcome);
    expect(ticketId).toBe(ticket.id);
    expect(await messageFlags(messageId)).toMatchObject({ internal: false, unverifiedSender: false, authorId: agent.id });
  });
});

describe("DMARC and DNS trouble", () => {
  it("DMARC fail (p=reject, no valid signature, SPF -all): the message is flagged dmarcFailed, the ticket still created, authResults recorded", async () => {
    const from = `pagos-${uniq()}@banco.test`;
    const { deps: d } = deps();
    const raw = rawMail({ from: `Banco <${from}>`, subject: "Su cuenta", messageId: `<bank-${uniq()}@banco.test>`, body: "Actualice sus datos." });
    const { id, outcome } = await receive(d, raw, { from });

    const { messageId, ticketId, created } = processed(outcome);
    expect(created).toBe(true);
    // Flagged, not dropped: the customer's mail is still a normal public message of a new ticket.
    expect(await messageFlags(messageId)).toMatchObject({ dmarcFailed: true, internal: false, unverifiedSender: false });
    const row = await inboundRow(id);
    expect(row).toMatchObject({ status: "PROCESSED", source: "smtp", clientIp: "127.0.0.1" });
    expect(row.helo).toBeTruthy();
    expect(row.authResults).toEqual({
      spf: { result: "fail", domain: "banco.test" },
      dkim: [{ result: "none", domain: null }],
      dmarc: { result: "fail", domain: "banco.test" },
      arc: { result: "none" },
    });
    const agent = await makeAgent();
    const number = (await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).number;
    const detail = await (await callerFor(testDeps().deps, agent.id)).ticket.get({ number });
    expect(detail.messages[0]).toMatchObject({ id: messageId, dmarcFailed: true });

    // The same bank's mail signed with its own key passes DMARC: no warning.
    const signed = await sign(rawMail({ from, subject: "Extracto", messageId: `<bank-ok-${uniq()}@banco.test>`, body: "Su extracto." }), "banco.test", "bank", bankKey.privateKey);
    const ok = processed((await receive(d, signed, { from })).outcome);
    expect(await messageFlags(ok.messageId)).toMatchObject({ dmarcFailed: false });
  });

  it("a forged customer From (DMARC fail) with the ticket's [#n] tag and References does not get into the customer's ticket, nor reopen it", async () => {
    const { deps: setup } = testDeps();
    const victim = await db.user.create({ data: { email: `cliente-${uniq()}@banco.test`, name: "Víctima", role: "CUSTOMER", locale: "es" } });
    const created = await (await callerFor(setup, victim.id)).ticket.create({ subject: "Transferencia", description: "No llegó." });
    await db.ticket.update({ where: { id: created.id }, data: { status: "RESOLVED", resolvedAt: new Date() } });
    const ourMail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: created.id } });
    const { deps: d } = deps();
    // Sent from anywhere with the victim's address in From: banco.test publishes SPF -all and DMARC p=reject.
    const raw = rawMail({ from: victim.email, subject: `Re: [#${created.number}] Transferencia`, messageId: `<forged-${uniq()}@evil.test>`, body: "Cambie la cuenta de destino.", headers: { References: ourMail.messageId, "In-Reply-To": ourMail.messageId } });
    const { outcome } = await receive(d, raw, { from: `x@evil.test` });
    const { ticketId, messageId } = processed(outcome);
    expect(ticketId).not.toBe(created.id);
    expect(await messageFlags(messageId)).toMatchObject({ dmarcFailed: true });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("RESOLVED");
    expect(await db.message.count({ where: { ticketId: created.id } })).toBe(1);
  });

  it("a DNS resolver that throws or never answers: the mail is still processed and its results are temperror", async () => {
    const hangs: DnsResolver = () => new Promise(() => {});
    const throws: DnsResolver = async () => {
      throw Object.assign(new Error("SERVFAIL"), { code: "ESERVFAIL" });
    };
    for (const [name, resolver] of [["never answers", hangs], ["throws", throws]] as const) {
      const from = `cliente-${uniq()}@cliente.test`;
      const { deps: d } = inboundDeps(store, {}, { resolver, timeoutMs: 150 });
      const raw = await sign(rawMail({ from, subject: `DNS ${name}`, messageId: `<dns-${uniq()}@cliente.test>`, body: "Hola." }), "cliente.test", "s1", evilKey.privateKey);
      const started = Date.now();
      const { id, outcome } = await receive(d, raw, { from });
      expect(Date.now() - started, name).toBeLessThan(5000);
      const { created } = processed(outcome);
      expect(created).toBe(true);
      expect((await inboundRow(id)).authResults, name).toMatchObject({
        spf: { result: "temperror" },
        dkim: [{ result: "temperror" }],
        dmarc: { result: "temperror" },
      });
    }
  });

  it("the default resolver's cache reuses answers and 'no such record', asks again after a failure, and hands each caller its own error", async () => {
    const asked: string[] = [];
    let failNext = true;
    const cached = cachedDnsResolver(async (name, rrtype) => {
      asked.push(`${rrtype} ${name}`);
      if (name === "flaky.test" && failNext) {
        failNext = false;
        throw Object.assign(new Error("timeout"), { code: "ETIMEOUT" });
      }
      if (name === "known.test") return [["v=spf1 -all"]];
      throw notFound(name);
    });
    expect(await Promise.all([cached("known.test", "TXT"), cached("Known.test", "TXT")])).toEqual([[["v=spf1 -all"]], [["v=spf1 -all"]]]);
    const errors = await Promise.all([cached("_dmarc.gmail.test", "TXT").catch((e: unknown) => e), cached("_dmarc.gmail.test", "TXT").catch((e: unknown) => e)]);
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(["ENOTFOUND", "ENOTFOUND"]);
    expect(errors[0]).not.toBe(errors[1]);
    await expect(cached("flaky.test", "TXT")).rejects.toMatchObject({ code: "ETIMEOUT" });
    await expect(cached("flaky.test", "TXT")).rejects.toMatchObject({ code: "ENOTFOUND" });
    expect(asked).toEqual(["TXT known.test", "TXT _dmarc.gmail.test", "TXT flaky.test", "TXT flaky.test"]);
  });

  it("IMAP mail (no SMTP peer): SPF is none, DKIM and DMARC are still verified", async () => {
    const agent = await makeAgent();
    const { deps: d } = deps();
    const raw = await sign(rawMail({ from: agent.email, subject: "Desde IMAP", messageId: `<imap-${uniq()}@ventanilla.test>`, body: "Hola." }), "ventanilla.test", "vt2026", ourKey.privateKey);
    const id = await storeInboundMail(d, Buffer.from(raw), { from: agent.email, to: [SUPPORT], source: "imap" });
    const { messageId } = processed(await processInboundMail(d, id));
    const row = await inboundRow(id);
    expect(row).toMatchObject({ clientIp: null, helo: null });
    expect(row.authResults).toMatchObject({ spf: { result: "none", domain: null }, dkim: [{ result: "pass", domain: "ventanilla.test" }], dmarc: { result: "none" } });
    expect(await messageFlags(messageId)).toMatchObject({ internal: false, unverifiedSender: false });
  });
});

describe("threading by References", () => {
  it("References from a stranger open a new ticket, not a message on the referenced ticket; from the requester they thread", async () => {
    const { customer, ticket } = await answeredTicket();
    // The Message-ID of our mail to the customer: it travels in every copy of that mail.
    const staged = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "agent_reply" } });
    const messagesBefore = await db.message.count({ where: { ticketId: ticket.id } });
    const { deps: d } = deps();

    const stranger = `extrano-${uniq()}@otro.test`;
    const fromStranger = await receive(
      d,
      rawMail({ from: stranger, subject: "Re: Factura duplicada", messageId: `<str-${uniq()}@otro.test>`, headers: { "In-Reply-To": staged.messageId, References: staged.messageId }, body: "Pague aquí." }),
      { from: stranger },
    );
    const strangers = processed(fromStranger.outcome);
    expect(strangers.created).toBe(true);
    expect(strangers.ticketId).not.toBe(ticket.id);
    const strangerTicket = await db.ticket.findUniqueOrThrow({ where: { id: strangers.ticketId }, include: { requester: true } });
    expect(strangerTicket).toMatchObject({ parentTicketId: null, requester: { email: stranger } });
    expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(messagesBefore);

    const fromRequester = await receive(
      d,
      rawMail({ from: customer.email, subject: "Re: Factura duplicada", messageId: `<req-${uniq()}@cliente.test>`, headers: { References: staged.messageId }, body: "Gracias." }),
      { from: customer.email },
    );
    expect(processed(fromRequester.outcome)).toMatchObject({ ticketId: ticket.id, created: false });
    expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(messagesBefore + 1);
  });
});
