// /admin/organizaciones and /admin/clientes: organizations with their mail domains, customers joining
// them on creation by every path, bulk attach, and the shared-tickets setting — which never lets a
// customer see another organization's tickets (tried through the tRPC procedures themselves).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { activateSignup, processSignup } from "~/server/modules/accounts/sign-up";
import { processInboundMail } from "~/server/modules/mail/process/process-inbound-mail";
import { updateSettings } from "~/server/modules/settings/app-settings";
import { listCustomers } from "~/server/modules/people/customers";
import { openAttachment } from "~/server/modules/tickets/open-attachment";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { inboundDeps, rawMail, sendRaw, startIntake, SUPPORT, type Intake } from "./support/inbound-mail";
import { uniq } from "./support/uniq";



let dir: string;
let intake: Intake;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-people-"));
  intake = await startIntake({ store: localBlobStore(dir), maxMessageBytes: 200 * 1024, maxAttachmentBytes: 150 * 1024 });
});
afterAll(async () => {
  await intake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function admin() {
  const t = testDeps();
  const user = await makeUser("ADMIN");
  return { ...t, api: await callerFor(t.deps, user.id), adminId: user.id };
}

/** Two fresh domains of the test's own. */
const domains = () => {
  const tag = uniq();
  return [`acme-${tag}.test`, `acme-${tag}.example`] as const;
};

describe("organizations: domains", () => {
  it("creates an organization with several domains (normalized), audits it; a domain of another organization is refused and nothing saved", async () => {
    const { api, adminId } = await admin();
    const [d1, d2] = domains();
    const org = await api.people.createOrganization({ name: "  Acme  ", domains: [`@${d1.toUpperCase()}, ${d2}`, d1] });
    expect(org).toMatchObject({ name: "Acme", domains: [d1, d2].sort(), membersSeeTickets: false, memberCount: 0, attached: 0 });
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: org.id } });
    expect(audit).toMatchObject({ actorId: adminId, action: "organization.create", entityType: "organization" });

    await expect(api.people.createOrganization({ name: "Otra", domains: [d2] })).rejects.toThrow(`El dominio «${d2}» ya es de otra organización.`);
    await expect(api.people.createOrganization({ name: "Mala", domains: ["no es dominio"] })).rejects.toThrow("no es un dominio de correo válido");
    await expect(api.people.createOrganization({ name: "   " })).rejects.toThrow();
    expect(await db.organization.count({ where: { name: { in: ["Otra", "Mala"] } } })).toBe(0);

    const renamed = await api.people.updateOrganization({ id: org.id, name: "Acme SA", domains: [d1], membersSeeTickets: true });
    expect(renamed).toMatchObject({ name: "Acme SA", domains: [d1], membersSeeTickets: true });
    const update = await db.auditLog.findFirstOrThrow({ where: { entityId: org.id, action: "organization.update" } });
    expect(update.before).toMatchObject({ name: "Acme", membersSeeTickets: false });
    expect(update.after).toMatchObject({ name: "Acme SA", membersSeeTickets: true, domains: [d1] });
    await expect(api.people.updateOrganization({ id: "missing", name: "x" })).rejects.toThrow("Esa organización no existe.");
  });

  it("customers created at a domain join it by every path: phone ticket (with its invitation), mail, sign-up, a plain insert (Google's adapter); staff never", async () => {
    const { api, deps } = await admin();
    const [d1, d2] = domains();
    const org = await api.people.createOrganization({ name: `Acme ${uniq()}`, domains: [d1, d2] });
    const orgOf = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).organizationId;

    // An agent opens a ticket for a caller nobody knew: the customer is created (and invited) in the ticket's own write.
    const agent = await makeUser("AGENT");
    const phone = `llamada-${uniq()}@${d1}`;
    await (await callerFor(deps, agent.id)).ticket.create({ subject: "Por teléfono", description: "x", requesterEmail: phone });
    expect(await orgOf(phone)).toBe(org.id);

    // Mail from a new address, upper-cased domain.
    const from = `correo-${uniq()}@${d2.toUpperCase()}`;
    const res = await sendRaw(intake.port, { from, to: [SUPPORT] }, rawMail({ from, subject: "Por correo", messageId: `<p-${uniq()}@${d2}>`, body: "Hola" }));
    expect(res.ok).toBe(true);
    await intake.enqueuedId(res.id!);
    const { deps: mailDeps } = inboundDeps(localBlobStore(dir));
    await processInboundMail(mailDeps, res.id!);
    expect(await orgOf(from.toLowerCase())).toBe(org.id);

    // Self sign-up.
    await updateSettings(deps, { signupEnabled: true });
    const signup = `registro-${uniq()}@${d1}`;
    const started = (await processSignup(deps, { name: "Reg", email: signup, password: "una-clave-larga-1", locale: "es" })) as { token: string };
    await activateSignup(deps, { token: started.token, password: "una-clave-larga-1" });
    expect(await orgOf(signup)).toBe(org.id);

    // next-auth's Prisma adapter creating a Google user is a plain insert.
    const google = `google-${uniq()}@${d2}`;
    await db.user.create({ data: { email: google, name: "G" } });
    expect(await orgOf(google)).toBe(org.id);

    // Staff invited at the domain are staff, not the customer company; other domains stay alone.
    const staff = await api.people.invite({ email: `staff-${uniq()}@${d1}`, role: "AGENT" });
    expect(await orgOf(staff.email)).toBeNull();
    const outsider = `otro-${uniq()}@sin-organizacion-${uniq()}.test`;
    await db.user.create({ data: { email: outsider } });
    expect(await orgOf(outsider)).toBeNull();
  });

  it("attaches existing customers in bulk when asked, only those at the domains and without an organization", async () => {
    const { api } = await admin();
    const [d1, d2] = domains();
    const before = [`a-${uniq()}@${d1}`, `b-${uniq()}@${d2}`];
    for (const email of before) await db.user.create({ data: { email } });
    const taken = await db.organization.create({ data: { name: "Ya tenía" } });
    const elsewhere = await db.user.create({ data: { email: `c-${uniq()}@${d1}`, organizationId: taken.id } });
    const agent = await db.user.create({ data: { email: `d-${uniq()}@${d1}`, role: "AGENT" } });

    const org = await api.people.createOrganization({ name: `Acme ${uniq()}`, domains: [d1] });
    expect(org.attached).toBe(0);
    const updated = await api.people.updateOrganization({ id: org.id, domains: [d1, d2], attachExisting: true });
    expect(updated).toMatchObject({ attached: 2, memberCount: 2 });
    expect(await db.user.count({ where: { email: { in: before }, organizationId: org.id } })).toBe(2);
    expect((await db.user.findUniqueOrThrow({ where: { id: elsewhere.id } })).organizationId).toBe(taken.id);
    expect((await db.user.findUniqueOrThrow({ where: { id: agent.id } })).organizationId).toBeNull();
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: org.id, action: "organization.update" } });
    expect(audit.after).toMatchObject({ attached: 2 });
  });
});

describe("customers: /admin/clientes", () => {
  it("searches by name, address, company and organization name; pages with a cursor, newest first; never lists staff", async () => {
    const { api, clock } = await admin();
    const tag = uniq();
    const org = await db.organization.create({ data: { name: `Transportes ${tag}` } });
    const made = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      made.push(await db.user.create({ data: { email: `cli${i}-${tag}@example.test`, name: `Cliente ${i}`, company: i === 2 ? `Empresa ${tag}` : null, organizationId: i === 4 ? org.id : null, createdAt: clock.now() } }));
    }
    await db.user.create({ data: { email: `agente-${tag}@example.test`, role: "AGENT" } });

    const p1 = await api.people.customers({ q: tag, limit: 2 });
    expect(p1.items.map((c) => c.email)).toEqual([made[4]!.email, made[3]!.email]);
    expect(p1.items[0]!.organization).toEqual({ id: org.id, name: org.name });
    const p2 = await api.people.customers({ q: tag, limit: 2, cursor: p1.nextCursor });
    const p3 = await api.people.customers({ q: tag, limit: 2, cursor: p2.nextCursor });
    expect([...p2.items, ...p3.items].map((c) => c.email)).toEqual([made[2]!.email, made[1]!.email, made[0]!.email]);
    expect(p3.nextCursor).toBeNull();

    expect((await api.people.customers({ q: `EMPRESA ${tag}` })).items.map((c) => c.id)).toEqual([made[2]!.id]);
    expect((await api.people.customers({ q: `transportes ${tag}` })).items.map((c) => c.id)).toEqual([made[4]!.id]);
    expect((await api.people.customers({ q: `cli3-${tag}` })).items.map((c) => c.id)).toEqual([made[3]!.id]);
    // A search walking past the newest customers (the window shrunk to 2) pages exactly the same.
    const asAdmin = { id: "x", role: "ADMIN" as const, locale: "es" as const, timeZone: null };
    const walk = async (q: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listCustomers>> = await listCustomers({ db }, asAdmin, { q, limit, cursor }, { recentWindow: 2 });
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk(tag, 2)).toEqual([...made].reverse().map((m) => m.id));
    expect(await walk(`transportes ${tag}`, 1)).toEqual([made[4]!.id]);
    expect(await walk(`cli0-${tag}`, 1)).toEqual([made[0]!.id]);
    // LIKE's wildcards are plain characters.
    expect((await api.people.customers({ q: `%${tag}` })).items).toEqual([]);
    expect((await api.people.customers({ q: `agente-${tag}` })).items).toEqual([]);
  });
});

describe("shared tickets stay inside the organization", () => {
  async function scene(share: boolean) {
    const { api, deps } = await admin();
    const [d1] = domains();
    const [dOther] = domains();
    const org = await api.people.createOrganization({ name: `Acme ${uniq()}`, domains: [d1], membersSeeTickets: share });
    await api.people.createOrganization({ name: `Rival ${uniq()}`, domains: [dOther], membersSeeTickets: true });
    const ana = await db.user.create({ data: { email: `ana-${uniq()}@${d1}`, name: "Ana" } });
    const beto = await db.user.create({ data: { email: `beto-${uniq()}@${d1}`, name: "Beto" } });
    const rival = await db.user.create({ data: { email: `rival-${uniq()}@${dOther}`, name: "Rival" } });
    const loner = await db.user.create({ data: { email: `solo-${uniq()}@nadie-${uniq()}.test` } });
    const as = async (id: string) => callerFor(deps, id);
    const [asAna, asBeto, asRival, asLoner] = await Promise.all([as(ana.id), as(beto.id), as(rival.id), as(loner.id)]);
    const anaTicket = await asAna.ticket.create({ subject: "Impresora de Ana", description: "x" });
    const rivalTicket = await asRival.ticket.create({ subject: "Del rival", description: "x" });
    const agent = await makeUser("AGENT");
    const asAgent = await callerFor(deps, agent.id);
    await asAgent.ticket.reply({ ticketId: anaTicket.id, body: "Respuesta pública" });
    await asAgent.ticket.reply({ ticketId: anaTicket.id, body: "Nota interna secreta", internal: true });
    return { api, deps, org, ana, beto, rival, asAna, asBeto, asRival, asLoner, anaTicket, rivalTicket };
  }

  const notFound = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: "NOT_FOUND" });

  it("off (the default): a co-worker sees nothing of another's ticket, by list, page, or id", async () => {
    const s = await scene(false);
    await expect(s.asBeto.people.myOrganization()).resolves.toBeNull();
    expect((await s.asBeto.portal.myTickets({ scope: "organization" })).items).toEqual([]);
    expect((await s.asBeto.portal.myTickets({})).items).toEqual([]);
    await notFound(s.asBeto.ticket.get({ number: s.anaTicket.number }));
  });

  it("on: co-workers see and follow each other's tickets (public messages only) but cannot act on them; other organizations and loners see nothing", async () => {
    const s = await scene(true);
    await expect(s.asBeto.people.myOrganization()).resolves.toEqual({ name: s.org.name });
    const shared = await s.asBeto.portal.myTickets({ scope: "organization" });
    expect(shared.items.map((i) => [i.number, i.requesterName])).toEqual([[s.anaTicket.number, "Ana"]]);
    // "Mine" stays Beto's own.
    expect((await s.asBeto.portal.myTickets({})).items).toEqual([]);
    const page = await s.asBeto.ticket.get({ number: s.anaTicket.number });
    expect(page.messages.map((m) => m.bodyText)).toContain("Respuesta pública");
    expect(page.messages.map((m) => m.bodyText)).not.toContain("Nota interna secreta");
    // Reading only: replying, closing, evaluating, reopening stay Ana's.
    await notFound(s.asBeto.ticket.reply({ ticketId: s.anaTicket.id, body: "Me meto" }));
    await notFound(s.asBeto.ticket.setStatus({ ticketId: s.anaTicket.id, status: "CLOSED" }));
    expect((await db.message.count({ where: { ticketId: s.anaTicket.id, authorId: s.beto.id } }))).toBe(0);

    // Never across organizations, whatever the procedure or the id handed in.
    await notFound(s.asBeto.ticket.get({ number: s.rivalTicket.number }));
    await notFound(s.asRival.ticket.get({ number: s.anaTicket.number }));
    expect((await s.asRival.portal.myTickets({ scope: "organization" })).items.map((i) => i.number)).toEqual([s.rivalTicket.number]);
    expect((await s.asRival.portal.myTickets({ scope: "organization", cursor: s.anaTicket.id })).items).toEqual([]);
    expect((await s.asBeto.portal.myTickets({ scope: "organization", cursor: s.rivalTicket.id })).items).toEqual([]);
    expect((await s.asLoner.portal.myTickets({ scope: "organization" })).items).toEqual([]);
    await notFound(s.asLoner.ticket.get({ number: s.anaTicket.number }));
    const rivalList = await s.asRival.ticket.list({});
    expect(rivalList.items.map((i: { id: string }) => i.id)).not.toContain(s.anaTicket.id);

    // Turning it off takes effect at once.
    await s.api.people.updateOrganization({ id: s.org.id, membersSeeTickets: false });
    await notFound(s.asBeto.ticket.get({ number: s.anaTicket.number }));
    expect((await s.asBeto.portal.myTickets({ scope: "organization" })).items).toEqual([]);
  });

  it("attachments follow the same rule", async () => {
    const s = await scene(true);
    const blob = await s.deps.store.put("people-test", Buffer.from("x"));
    const att = await db.attachment.create({
      data: { ticketId: s.anaTicket.id, filename: "f.txt", contentType: "text/plain", size: 1, sha256: "x", storageKey: blob.key },
    });
    const actor = (u: { id: string }) => ({ id: u.id, role: "CUSTOMER" as const, locale: "es" as const, timeZone: null });
    const opened = await openAttachment({ ...s.deps }, actor(s.beto), att.id);
    expect(opened.filename).toBe("f.txt");
    opened.stream.destroy();
    await expect(openAttachment({ ...s.deps }, actor(s.rival), att.id)).rejects.toMatchObject({ code: "ATTACHMENT_NOT_FOUND" });
  });
});


