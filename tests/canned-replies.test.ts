import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { seedDemoCannedReplies } from "~/server/seed/demo-canned-replies";
import { fillPlaceholders, unknownPlaceholders } from "~/shared/canned-replies";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { uniq } from "./support/uniq";

async function refusal(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

const fieldErrorsOf = (err: TRPCError) => {
  // The caller rethrows what the error formatter shaped for the wire; the field errors ride on the cause.
  const cause = err.cause as { issues?: Array<{ path: PropertyKey[]; message: string }> } | undefined;
  return cause?.issues?.map((i) => [i.path.join("."), i.message]);
};

async function ticketFor(customerName: string) {
  const { deps } = testDeps();
  const customer = await makeUser("CUSTOMER", { name: customerName });
  const ticket = await (await callerFor(deps, customer.id)).ticket.create({ subject: `Canned ${uniq()}`, description: "Hola" });
  return { customer, ticket };
}

describe("placeholders", () => {
  it("knows the Spanish names and their English aliases, with or without spaces inside the braces", () => {
    const values = { customerName: "Carla", ticketNumber: "1042", agentName: "Luis" };
    expect(fillPlaceholders("Hola {{cliente.nombre}}, ticket #{{ ticket.numero }}. {{agente.nombre}}", values)).toBe("Hola Carla, ticket #1042. Luis");
    expect(fillPlaceholders("Hi {{customer.name}} ({{ticket.number}}), {{agent.name}}", values)).toBe("Hi Carla (1042), Luis");
    expect(unknownPlaceholders("{{cliente.nombre}} {{customer.name}} {{ Ticket.Numero }}")).toEqual([]);
    expect(unknownPlaceholders("{{cliente.apellido}} y {{}} y {{cliente.apellido}}")).toEqual(["{{cliente.apellido}}", "{{}}"]);
  });

  it("fills in one pass: a value that looks like a placeholder stays as it is", () => {
    expect(fillPlaceholders("{{cliente.nombre}} / {{agente.nombre}}", { customerName: "{{agente.nombre}}", ticketNumber: "1", agentName: "Luis" })).toBe(
      "{{agente.nombre}} / Luis",
    );
  });
});

describe("managing canned replies", () => {
  it("an admin creates, searches, edits and deletes; the creator and timestamps are kept", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const api = await callerFor(deps, admin.id);
    const tag = uniq();
    const created = await api.cannedReply.create({ title: `Saludo ${tag}`, body: "Hola {{cliente.nombre}}", language: "es" });
    expect(created).toMatchObject({ title: `Saludo ${tag}`, language: "es", active: true, createdBy: { email: admin.email } });
    await api.cannedReply.create({ title: `Otro ${tag}`, body: "Nada que ver", language: null });

    expect((await api.cannedReply.list({ q: `saludo ${tag}` })).map((r) => r.id)).toEqual([created.id]);
    // The text is searched too.
    expect((await api.cannedReply.list({ q: tag })).length).toBe(2);

    const edited = await api.cannedReply.update({ id: created.id, title: `Bienvenida ${tag}`, language: null, active: false });
    expect(edited).toMatchObject({ title: `Bienvenida ${tag}`, language: null, active: false, body: "Hola {{cliente.nombre}}" });
    expect(edited.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    await api.cannedReply.delete({ id: created.id });
    expect(await db.cannedReply.findUnique({ where: { id: created.id } })).toBeNull();
    const again = await refusal(api.cannedReply.delete({ id: created.id }));
    expect(again.code).toBe("NOT_FOUND");
    expect(again.message).toBe("Esa respuesta predefinida no existe o no está activa.");
  });

  it("refuses an unknown placeholder at save, naming it, in the admin's language", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const es = await callerFor(deps, admin.id);
    const err = await refusal(es.cannedReply.create({ title: "Malo", body: "Hola {{cliente.apellido}}", language: "es" }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toBe("El marcador {{cliente.apellido}} no existe. Use {{cliente.nombre}}, {{ticket.numero}} o {{agente.nombre}}.");
    expect(fieldErrorsOf(err)).toEqual([["body", "CANNED_PLACEHOLDER_UNKNOWN"]]);

    const en = await callerFor(deps, admin.id, { locale: "en" });
    const enErr = await refusal(en.cannedReply.create({ title: "Bad", body: "Hi {{customer.surname}}", language: "en" }));
    expect(enErr.message).toBe("The placeholder {{customer.surname}} does not exist. Use {{customer.name}}, {{ticket.number}} or {{agent.name}}.");

    // An edit is checked the same way, and changes nothing.
    const ok = await es.cannedReply.create({ title: `Bien ${uniq()}`, body: "Hola {{cliente.nombre}}", language: "es" });
    await refusal(es.cannedReply.update({ id: ok.id, body: "{{ticket.estado}}" }));
    expect((await db.cannedReply.findUniqueOrThrow({ where: { id: ok.id } })).body).toBe("Hola {{cliente.nombre}}");
  });

  it("validates title, text and language with localized messages", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const api = await callerFor(deps, admin.id);
    expect((await refusal(api.cannedReply.create({ title: "  ", body: "x", language: "es" }))).message).toBe("El título es obligatorio.");
    expect((await refusal(api.cannedReply.create({ title: "x".repeat(121), body: "x", language: "es" }))).message).toBe("El título no puede superar 120 caracteres.");
    expect((await refusal(api.cannedReply.create({ title: "x", body: " ", language: "es" }))).message).toBe("El mensaje no puede estar vacío.");
    expect((await refusal(api.cannedReply.create({ title: "x", body: "y".repeat(20_001), language: "es" }))).message).toBe(
      "El mensaje no puede superar 20000 caracteres.",
    );
    expect((await refusal(api.cannedReply.create({ title: "x", body: "y", language: "fr" as "es" }))).code).toBe("BAD_REQUEST");
    // 120 and 20,000 exactly are fine.
    await api.cannedReply.create({ title: "t".repeat(120), body: "b".repeat(20_000), language: null });
  });

  it("only admins manage; agents list the active ones; customers and strangers reach nothing", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const agent = await makeUser("AGENT");
    const customer = await makeUser("CUSTOMER");
    const asAdmin = await callerFor(deps, admin.id);
    const asAgent = await callerFor(deps, agent.id);
    const tag = uniq();
    const active = await asAdmin.cannedReply.create({ title: `Activa ${tag}`, body: "a", language: null });
    const inactive = await asAdmin.cannedReply.create({ title: `Inactiva ${tag}`, body: "b", language: null, active: false });

    expect((await asAgent.cannedReply.list({ q: tag })).map((r) => r.id)).toEqual([active.id]);
    expect((await asAdmin.cannedReply.list({ q: tag })).map((r) => r.id)).toEqual([active.id, inactive.id]);

    for (const attempt of [
      asAgent.cannedReply.create({ title: "x", body: "x", language: null }),
      asAgent.cannedReply.update({ id: active.id, title: "hack" }),
      asAgent.cannedReply.delete({ id: active.id }),
    ]) {
      expect((await refusal(attempt)).code).toBe("FORBIDDEN");
    }
    const asCustomer = await callerFor(deps, customer.id);
    expect((await refusal(asCustomer.cannedReply.list({ q: "" }))).code).toBe("FORBIDDEN");
    const { ticket } = await ticketFor("Quien sea");
    expect((await refusal(asCustomer.cannedReply.fill({ id: active.id, ticketId: ticket.id }))).code).toBe("FORBIDDEN");
    expect((await refusal((await callerFor(deps, null)).cannedReply.list({ q: "" }))).code).toBe("UNAUTHORIZED");
    expect((await db.cannedReply.findUniqueOrThrow({ where: { id: active.id } })).title).toBe(`Activa ${tag}`);
  });
});

describe("inserting a canned reply", () => {
  it("fills the customer's name, the ticket number and the agent's name for this ticket", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const agent = await makeUser("AGENT", { name: "Luis Agente" });
    const reply = await (await callerFor(deps, admin.id)).cannedReply.create({
      title: `Saludo ${uniq()}`,
      body: "Hola {{cliente.nombre}}: sobre el ticket #{{ticket.numero}}.\n{{agent.name}}",
      language: null,
    });
    const { ticket } = await ticketFor("Carla Cliente");
    const filled = await (await callerFor(deps, agent.id)).cannedReply.fill({ id: reply.id, ticketId: ticket.id });
    expect(filled.text).toBe(`Hola Carla Cliente: sobre el ticket #${ticket.number}.\nLuis Agente`);
  });

  it("inserts an HTML-looking name as text: the sent reply shows it escaped, nothing is interpreted", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const agent = await makeUser("AGENT");
    const reply = await (await callerFor(deps, admin.id)).cannedReply.create({ title: `Hola ${uniq()}`, body: "Hola {{cliente.nombre}}", language: null });
    const evil = `<img src=x onerror="alert(1)">{{agente.nombre}}`;
    const { ticket } = await ticketFor(evil);
    const asAgent = await callerFor(deps, agent.id);
    const { text } = await asAgent.cannedReply.fill({ id: reply.id, ticketId: ticket.id });
    expect(text).toBe(`Hola ${evil}`);

    const sent = await asAgent.ticket.reply({ ticketId: ticket.id, body: text });
    const message = await db.message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(message.bodyHtml).toBe("<p>Hola &lt;img src=x onerror=&quot;alert(1)&quot;&gt;{{agente.nombre}}</p>");
  });

  it("an inactive or unknown reply cannot be inserted, and the ticket must exist", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const agent = await makeUser("AGENT");
    const reply = await (await callerFor(deps, admin.id)).cannedReply.create({ title: `Off ${uniq()}`, body: "x", language: null, active: false });
    const { ticket } = await ticketFor("Ana");
    const asAgent = await callerFor(deps, agent.id);
    expect((await refusal(asAgent.cannedReply.fill({ id: reply.id, ticketId: ticket.id }))).code).toBe("NOT_FOUND");
    expect((await refusal(asAgent.cannedReply.fill({ id: "nope", ticketId: ticket.id }))).code).toBe("NOT_FOUND");
    const noTicket = await refusal(asAgent.cannedReply.fill({ id: reply.id, ticketId: "nope" }));
    expect(noTicket.message).toBe("El ticket no existe o no tiene acceso a él.");
  });
});

describe("demo canned replies", () => {
  it("are seeded once: a second run adds nothing, and every one passes the placeholder check", async () => {
    const { deps } = testDeps();
    const admin = await makeUser("ADMIN");
    const first = await seedDemoCannedReplies(deps, admin.id);
    const count = await db.cannedReply.count();
    const second = await seedDemoCannedReplies(deps, admin.id);
    expect(second).toBe(0);
    expect(await db.cannedReply.count()).toBe(count);
    expect(first).toBe(3);
    const demo = await db.cannedReply.findMany({ where: { title: { in: ["Saludo y acuse de recibo", "Solicitud de más información", "Greeting"] } } });
    expect(demo).toHaveLength(3);
    for (const r of demo) expect(unknownPlaceholders(r.body)).toEqual([]);
  });
});
