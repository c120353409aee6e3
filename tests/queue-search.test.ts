import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { tsQueryText } from "~/server/modules/tickets/queue/search";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { at, queueScene, queueTicket } from "./support/queue";

type Caller = Awaited<ReturnType<typeof callerFor>>;

async function found(api: Caller, categoryId: string, search: string) {
  const page = await api.ticket.queue({ view: "all", categoryId: [categoryId], search });
  return page.items.map((t) => t.number).sort((a, b) => a - b);
}

describe("queue search", () => {
  it("finds whole words of the subject and of any message whatever their accents and case", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const camera = await queueTicket(category.id, { requesterId: customer.id, subject: "La cámara no enciende" });
    const printer = await queueTicket(category.id, { requesterId: customer.id, subject: "Consulta", body: "La IMPRESORA hace un ruido extraño al arrancar" });
    await queueTicket(category.id, { requesterId: customer.id, subject: "Otra cosa", body: "Nada que ver" });
    const api = await callerFor(deps, agent.id);

    for (const q of ["camara", "CÁMARA", "Cámara enciende"]) expect(await found(api, category.id, q), q).toEqual([camera.number]);
    for (const q of ["impresora", "extrano", "EXTRAÑO ruido"]) expect(await found(api, category.id, q), q).toEqual([printer.number]);
    expect(await found(api, category.id, "camara impresora")).toEqual([]);
    expect(await found(api, category.id, "impres")).toEqual([]);
    expect(await found(api, category.id, "'); DROP TABLE x; --")).toEqual([]);
  });

  it("finds a later message, a reworded subject, and the requester by name or address", async () => {
    const { deps } = testDeps();
    const { category, agent } = await queueScene();
    const inigo = await makeUser("CUSTOMER", { name: "Íñigo Núñez" });
    const mine = await queueTicket(category.id, { requesterId: inigo.id, subject: "Pregunta" });
    const other = await queueTicket(category.id, { requesterId: (await makeUser("CUSTOMER")).id, subject: "Factura" });
    await db.message.create({ data: { ticketId: other.id, bodyText: "Adjunto el albarán firmado", bodyHtml: "", channel: "EMAIL" } });
    await db.ticket.update({ where: { id: mine.id }, data: { subject: "Devolución pendiente" } });
    const api = await callerFor(deps, agent.id);

    expect(await found(api, category.id, "albaran")).toEqual([other.number]);
    expect(await found(api, category.id, "devolucion")).toEqual([mine.number]);
    expect(await found(api, category.id, "pregunta")).toEqual([]);
    expect(await found(api, category.id, "inigo nunez")).toEqual([mine.number]);
    expect(await found(api, category.id, inigo.email.split("@")[0]!)).toEqual([mine.number]);
    expect(await found(api, category.id, inigo.email.toUpperCase())).toEqual([mine.number]);
  });

  it("pages a search with thousands of matches (walked in queue order) the same as one with few (fetched from the index past the walk)", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const word = `comun${randomUUID().replace(/[^a-f]/g, "")}`;
    await db.ticket.createMany({
      data: Array.from({ length: 5100 }, (_, i) => {
        const tag = randomUUID();
        return { subject: `${word} ${i}`, channel: "PORTAL" as const, trackingId: tag, replyToken: tag, categoryId: category.id, requesterId: customer.id, createdAt: at(-i) };
      }),
    });
    const api = await callerFor(deps, agent.id);
    const first = await api.ticket.queue({ view: "all", categoryId: [category.id], search: word, limit: 25 });
    const second = await api.ticket.queue({ view: "all", categoryId: [category.id], search: word, limit: 25, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((t) => t.subject)).toEqual(Array.from({ length: 50 }, (_, i) => `${word} ${5099 - i}`));
    // Oldest first, the walk's 5000 tickets end before "… 7" (among the newest): found through the index.
    const late = await api.ticket.queue({ view: "all", categoryId: [category.id], search: `${word} 7`, limit: 25 });
    expect(late.items.map((t) => t.subject)).toEqual([`${word} 7`]);
    const newest = await api.ticket.queue({ view: "all", categoryId: [category.id], search: `${word} 7`, sort: "newest", limit: 25 });
    expect(newest.items.map((t) => t.subject)).toEqual([`${word} 7`]);
  });

  it("finds a ticket by its number, with or without #", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const t = await queueTicket(category.id, { requesterId: customer.id });
    await queueTicket(category.id, { requesterId: customer.id });
    const api = await callerFor(deps, agent.id);
    expect(await found(api, category.id, `#${t.number}`)).toEqual([t.number]);
    expect(await found(api, category.id, ` ${t.number} `)).toEqual([t.number]);
  });

  it("builds only quoted letters and digits into the query", () => {
    expect(tsQueryText("Cámara, ¿rota?")).toBe("'cámara' & 'rota'");
    expect(tsQueryText("a'b & c:*")).toBe("'a' & 'b' & 'c'");
    expect(tsQueryText(" ¿? ")).toBeNull();
    expect(tsQueryText("lote L31337")).toBe("'lote' & 'l31337'");
  });
});

describe("queue filters", () => {
  it("filters by status, priority, channel, category and assignee (me, none, an agent)", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const other = await makeUser("AGENT");
    const base = { requesterId: customer.id };
    const a = await queueTicket(category.id, { ...base, status: "OPEN", priority: "HIGH", channel: "EMAIL", assigneeId: agent.id });
    const b = await queueTicket(category.id, { ...base, status: "IN_PROGRESS", priority: "LOW", channel: "PHONE", assigneeId: other.id });
    const c = await queueTicket(category.id, { ...base, status: "CLOSED", priority: "HIGH", channel: "PORTAL" });
    const api = await callerFor(deps, agent.id);
    const list = async (f: Record<string, unknown>) =>
      (await api.ticket.queue({ view: "all", categoryId: [category.id], ...f })).items.map((t) => t.number).sort((x, y) => x - y);

    expect(await list({ status: ["OPEN", "CLOSED"] })).toEqual([a.number, c.number]);
    expect(await list({ priority: ["HIGH"] })).toEqual([a.number, c.number]);
    expect(await list({ channel: ["PHONE"] })).toEqual([b.number]);
    expect(await list({ assignee: "me" })).toEqual([a.number]);
    expect(await list({ assignee: "none" })).toEqual([c.number]);
    expect(await list({ assignee: other.id })).toEqual([b.number]);
    expect(await list({ priority: ["HIGH"], status: ["CLOSED"] })).toEqual([c.number]);
    expect((await api.ticket.queue({ view: "all", categoryId: ["no-such-category"] })).items).toEqual([]);
  });
});
