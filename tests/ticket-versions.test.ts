// Optimistic concurrency on the agent's workspace: the version trigger (migration
// 20261206110000_ticket_version), and every edit checked against the version it was made from.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeCategory, makeUser, testDeps } from "./support/fixtures";

async function scene() {
  const { deps, bus } = testDeps();
  const customer = await makeUser("CUSTOMER");
  const agent = await makeUser("AGENT", { name: "Ana López" });
  const other = await makeUser("AGENT", { name: "Bruno Díaz" });
  const created = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Versiones", description: "x" });
  const asAgent = await callerFor(deps, agent.id);
  bus.events.length = 0;
  return { deps, bus, customer, agent, other, asAgent, ticketId: created.id, number: created.number };
}

const versionOf = async (id: string) => (await db.ticket.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;

/** Everything an edit could have touched: the row, its history, its mail, its custom values. */
async function snapshot(id: string) {
  const ticket = await db.ticket.findUniqueOrThrow({
    where: { id },
    include: { events: { orderBy: { id: "asc" } }, emails: { orderBy: { id: "asc" } }, messages: { orderBy: { id: "asc" } }, customFields: true },
  });
  return ticket;
}

async function refusedAsChanged(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe("CONFLICT");
  expect((err as TRPCError).message).toBe("Otra persona cambió este ticket mientras lo editaba. Revise los cambios y vuelva a intentarlo.");
}

async function textField() {
  return db.customFieldDefinition.create({ data: { key: `serie-${randomUUID().slice(0, 8)}`, labelEs: "Número de serie", labelEn: "Serial number", type: "TEXT" } });
}

describe("the version trigger", () => {
  it("moves the version once for each agent-edited field, and not for updatedAt-only or message-only updates", async () => {
    const { ticketId, agent, customer } = await scene();
    const category = await makeCategory();
    const product = await db.product.create({ data: { name: `Producto ${randomUUID().slice(0, 8)}` } });
    let expected = await versionOf(ticketId);
    const edits = [{ status: "IN_PROGRESS" as const }, { priority: "HIGH" as const }, { categoryId: category.id }, { productId: product.id }, { assigneeId: agent.id }, { subject: "Otro asunto" }];
    for (const data of edits) {
      await db.ticket.update({ where: { id: ticketId }, data });
      expect(await versionOf(ticketId), JSON.stringify(data)).toBe(++expected);
    }
    // Setting a field to the value it already has is no change.
    await db.ticket.update({ where: { id: ticketId }, data: { priority: "HIGH" } });
    await db.ticket.update({ where: { id: ticketId }, data: { updatedAt: new Date() } });
    await db.message.create({ data: { ticketId, authorId: customer.id, bodyText: "hola", bodyHtml: "<p>hola</p>", channel: "PORTAL" } });
    await db.ticket.update({ where: { id: ticketId }, data: { firstResponseAt: new Date(), updatedAt: new Date() } });
    expect(await versionOf(ticketId)).toBe(expected);
  });

  it("a reply through the API (a message and the ticket's timestamps) leaves the version alone", async () => {
    const { ticketId, asAgent } = await scene();
    const before = await versionOf(ticketId);
    await asAgent.ticket.reply({ ticketId, body: "Estamos en ello" });
    await asAgent.ticket.reply({ ticketId, body: "Nota", internal: true });
    expect(await versionOf(ticketId)).toBe(before);
  });
});

describe("every workspace edit is checked against the version it was made from", () => {
  it("a stale version is refused with TICKET_CHANGED and changes nothing: no row, event, mail or live hint", async () => {
    const { ticketId, asAgent, other, bus } = await scene();
    const field = await textField();
    const category = await makeCategory();
    const stale = await versionOf(ticketId);
    // Someone else moves the ticket on.
    await asAgent.ticket.updateDetails({ ticketId, priority: "LOW", version: stale });
    bus.events.length = 0;
    const before = await snapshot(ticketId);

    await refusedAsChanged(asAgent.ticket.setStatus({ ticketId, status: "IN_PROGRESS", version: stale }));
    await refusedAsChanged(asAgent.ticket.setStatus({ ticketId, status: "REJECTED", reason: "Duplicado", version: stale }));
    await refusedAsChanged(asAgent.ticket.assign({ ticketId, assigneeId: other.id, version: stale }));
    await refusedAsChanged(asAgent.ticket.updateDetails({ ticketId, priority: "HIGH", version: stale }));
    await refusedAsChanged(asAgent.ticket.updateDetails({ ticketId, categoryId: category.id, version: stale }));
    await refusedAsChanged(asAgent.ticket.setCustomField({ ticketId, fieldId: field.id, value: "SN-1", version: stale }));
    // A stale page asking for the status the ticket already has is told it changed, too.
    await refusedAsChanged(asAgent.ticket.setStatus({ ticketId, status: "OPEN", version: stale }));

    expect(await snapshot(ticketId)).toEqual(before);
    expect(bus.events).toEqual([]);
  });

  it("the current version is accepted, each edit moves it, and the next edit must name the new one", async () => {
    const { ticketId, asAgent, other, bus } = await scene();
    const field = await textField();
    const category = await makeCategory();
    const start = await versionOf(ticketId);
    // Each edit answers with the ticket's new version, which the agent's next edit names.
    const versions = [start];
    const next = async (edit: (version: number) => Promise<{ version: number }>) => {
      const { version } = await edit(versions.at(-1)!);
      expect(await versionOf(ticketId)).toBe(version);
      versions.push(version);
    };
    await next((version) => asAgent.ticket.setStatus({ ticketId, status: "IN_PROGRESS", version }));
    await next((version) => asAgent.ticket.assign({ ticketId, assigneeId: other.id, version }));
    await next((version) => asAgent.ticket.updateDetails({ ticketId, priority: "HIGH", categoryId: category.id, version }));
    await next((version) => asAgent.ticket.setCustomField({ ticketId, fieldId: field.id, value: "SN-1", version }));
    await next((version) => asAgent.ticket.setStatus({ ticketId, status: "REJECTED", reason: "Fuera de alcance", version }));
    expect(versions).toEqual([start, start + 1, start + 2, start + 3, start + 4, start + 5]);
    // An edit that changes nothing answers the version as it is.
    expect(await asAgent.ticket.updateDetails({ ticketId, priority: "HIGH", version: start + 5 })).toEqual({ changed: false, version: start + 5 });

    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { events: true } });
    expect(ticket).toMatchObject({ status: "REJECTED", priority: "HIGH", categoryId: category.id, assigneeId: other.id });
    expect(ticket.events.map((e) => e.type).sort()).toEqual(
      ["ASSIGNED", "CATEGORY_CHANGED", "CREATED", "CUSTOM_FIELD_CHANGED", "PRIORITY_CHANGED", "STATUS_CHANGED", "STATUS_CHANGED"].sort(),
    );
    expect(bus.events.filter((e) => e.type === "ticket.updated")).toHaveLength(5);
  });

  it("callers that send no version (mail, timers, scripts) still work", async () => {
    const { ticketId, asAgent, other } = await scene();
    const field = await textField();
    await asAgent.ticket.updateDetails({ ticketId, priority: "HIGH" });
    await asAgent.ticket.assign({ ticketId, assigneeId: other.id });
    await asAgent.ticket.setStatus({ ticketId, status: "WAITING_ON_CUSTOMER" });
    await asAgent.ticket.setCustomField({ ticketId, fieldId: field.id, value: "x" });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ priority: "HIGH", assigneeId: other.id, status: "WAITING_ON_CUSTOMER" });
  });

  it("two edits made from the same version at once: exactly one wins, the other is refused and leaves no trace", async () => {
    const field = await textField();
    for (let round = 0; round < 3; round++) {
      const { ticketId, asAgent, other, bus } = await scene();
      const v = await versionOf(ticketId);
      const results = await Promise.allSettled([
        asAgent.ticket.updateDetails({ ticketId, priority: "HIGH", version: v }),
        asAgent.ticket.setStatus({ ticketId, status: "IN_PROGRESS", version: v }),
        asAgent.ticket.assign({ ticketId, assigneeId: other.id, version: v }),
        asAgent.ticket.setCustomField({ ticketId, fieldId: field.id, value: "SN", version: v }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r.reason as TRPCError).code)).toEqual(["CONFLICT", "CONFLICT", "CONFLICT"]);
      expect(await versionOf(ticketId)).toBe(v + 1);
      const events = await db.ticketEvent.findMany({ where: { ticketId, type: { not: "CREATED" } } });
      expect(events).toHaveLength(1);
      // When the assignment wins, the assignee's bell rings too (notifications.created): that is not a ticket change.
      expect(bus.events.filter((e) => e.type !== "notifications.created")).toHaveLength(1);
    }
  });
});
