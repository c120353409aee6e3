// Issue 12, item 5: the procedures pages render declare what they return (src/shared/schemas), and a
// customer's ticket carries no staff address and no internal note.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appRouter } from "~/server/api/root";
import { imapMailbox } from "~/shared/schemas/admin";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

const RENDERED = [
  "ticket.get", "ticket.list", "ticket.categories", "ticket.create",
  "user.me", "user.profile", "user.agents", "user.loginProviders", "user.signInProviders", "user.updateProfile",
  "kb.home", "kb.categories", "kb.category", "kb.article", "kb.search", "kb.suggest", "kb.stats", "kb.forEditing", "kb.synonyms",
  "kb.preview", "kb.create", "kb.update",
  "admin.mailbox", "admin.mailLoops", "admin.inbound", "admin.imapMailboxes", "admin.createImapMailbox", "admin.updateImapMailbox", "admin.testImapMailbox",
  "invitation.get", "invitation.accept",
  "sla.view", "sla.holidayRegions", "sla.holidayPreview",
];

describe("output schemas", () => {
  it("every procedure a page renders has an output parser", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { output?: unknown } }>;
    expect(RENDERED.filter((name) => !procedures[name])).toEqual([]);
    expect(RENDERED.filter((name) => !procedures[name]!._def.output)).toEqual([]);
  });

  it("the schemas import no server code, so pages may import them", () => {
    const dir = path.resolve(import.meta.dirname, "../src/shared");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.filter((f) => /from\s+["'](~\/server\/|\.\.\/server\/|@prisma|~\/env)/.test(readFileSync(path.join(dir, f), "utf8")))).toEqual([]);
  });

  it("drops what the domain adds by mistake", () => {
    const row = { id: "m1", name: "Soporte", host: "imap.example.test", port: 993, secure: true, username: "u", folder: "INBOX", moveTo: null, active: true, lastPolledAt: null, lastError: null, createdAt: new Date(), hasPassword: true };
    expect(imapMailbox.parse({ ...row, password: "secreto" })).toEqual(row);
  });

  it("a customer's ticket.get carries no staff address and no internal note", async () => {
    const { deps } = testDeps();
    const customer = await makeUser("CUSTOMER");
    const agent = await makeUser("AGENT");
    const asCustomer = await callerFor(deps, customer.id);
    const asAgent = await callerFor(deps, agent.id);
    const created = await asCustomer.ticket.create({ subject: "Factura", description: "No me llega", priority: "LOW" });
    await asAgent.ticket.assign({ ticketId: created.id, assigneeId: agent.id });
    await asAgent.ticket.reply({ ticketId: created.id, body: "Nota interna: cliente moroso", internal: true });
    await asAgent.ticket.reply({ ticketId: created.id, body: "Lo revisamos." });

    const seen = JSON.stringify(await asCustomer.ticket.get({ number: created.number }));
    expect(seen).toContain("Lo revisamos.");
    expect(seen).not.toContain("cliente moroso");
    expect(seen).not.toContain("NOTE_ADDED");
    expect(seen).not.toContain(agent.email);
  });

  // Beyond what a schema can see (a string either way): the ASSIGNED entry holds `name ?? email`.
  it("a staff member without a name is not named by their address in the customer's history", async () => {
    const { deps } = testDeps();
    const customer = await makeUser("CUSTOMER");
    const agent = await db.user.update({ where: { id: (await makeUser("AGENT")).id }, data: { name: null } });
    const created = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Acceso", description: "No entro", priority: "LOW" });
    await (await callerFor(deps, agent.id)).ticket.assign({ ticketId: created.id, assigneeId: agent.id });

    const seen = JSON.stringify(await (await callerFor(deps, customer.id)).ticket.get({ number: created.number }));
    expect(seen).not.toContain(agent.email);
    expect(seen).toContain(`"toValue":"${deps.mail.team}"`);
    expect(seen).toContain(`"toValue":"${deps.mail.team}"`);
  });
});
