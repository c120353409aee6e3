import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { queueScene, queueTicket } from "./support/queue";

describe("queue bulk actions", () => {
  it("assigns several tickets through the one-ticket use-case: each in its history and its live event", async () => {
    const { deps, bus } = testDeps();
    const { category, customer, agent } = await queueScene();
    const [a, b] = await Promise.all([queueTicket(category.id, { requesterId: customer.id }), queueTicket(category.id, { requesterId: customer.id })]);
    const api = await callerFor(deps, agent.id);

    const result = await api.ticket.bulkUpdate({ ticketIds: [a.id, b.id], action: { type: "assign", assigneeId: agent.id } });
    expect(result).toEqual({ updated: [a.id, b.id], failed: [] });
    for (const t of [a, b]) {
      const after = await db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { events: true } });
      expect(after.assigneeId).toBe(agent.id);
      expect(after.events.map((e) => [e.type, e.actorId])).toEqual([["ASSIGNED", agent.id]]);
    }
    expect(bus.events.map((e) => [e.type, "ticketId" in e ? e.ticketId : null])).toEqual([["ticket.updated", a.id], ["ticket.updated", b.id]]);
  });

  it("sets status and priority, reporting each ticket that refused while the others change", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const open = await queueTicket(category.id, { requesterId: customer.id, status: "OPEN" });
    const working = await queueTicket(category.id, { requesterId: customer.id, status: "IN_PROGRESS" });
    const api = await callerFor(deps, agent.id);

    const status = await api.ticket.bulkUpdate({ ticketIds: [open.id, working.id, "no-such-ticket"], action: { type: "status", status: "IN_PROGRESS" } });
    expect(status.updated).toEqual([open.id]);
    expect(status.failed).toEqual([
      { ticketId: working.id, code: "STATUS_UNCHANGED" },
      { ticketId: "no-such-ticket", code: "TICKET_NOT_FOUND" },
    ]);
    const history = await db.ticketEvent.findMany({ where: { ticketId: open.id } });
    expect(history.map((e) => [e.type, e.fromValue, e.toValue])).toContainEqual(["STATUS_CHANGED", "OPEN", "IN_PROGRESS"]);
    expect(await db.outboundEmail.count({ where: { ticketId: open.id } })).toBeGreaterThan(0);

    const priority = await api.ticket.bulkUpdate({ ticketIds: [open.id, working.id], action: { type: "priority", priority: "HIGH" } });
    expect(priority).toEqual({ updated: [open.id, working.id], failed: [] });
    expect((await db.ticket.findMany({ where: { id: { in: [open.id, working.id] } } })).map((t) => t.priority)).toEqual(["HIGH", "HIGH"]);
  });

  it("reports an assignee who is not staff on every ticket, and refuses REJECTED (it needs a reason)", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const t = await queueTicket(category.id, { requesterId: customer.id });
    const api = await callerFor(deps, agent.id);
    expect(await api.ticket.bulkUpdate({ ticketIds: [t.id], action: { type: "assign", assigneeId: customer.id } })).toEqual({
      updated: [],
      failed: [{ ticketId: t.id, code: "ASSIGNEE_INVALID" }],
    });
    await expect(api.ticket.bulkUpdate({ ticketIds: [t.id], action: { type: "status", status: "REJECTED" as "CLOSED" } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("OPEN");
  });

  it("refuses customers, even for their own tickets, and changes nothing", async () => {
    const { deps, bus } = testDeps();
    const { category } = await queueScene();
    const customer = await makeUser("CUSTOMER");
    const t = await queueTicket(category.id, { requesterId: customer.id });
    const api = await callerFor(deps, customer.id);
    await expect(api.ticket.bulkUpdate({ ticketIds: [t.id], action: { type: "status", status: "CLOSED" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api.ticket.bulkUpdate({ ticketIds: [t.id], action: { type: "priority", priority: "HIGH" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: "OPEN", priority: "MEDIUM" });
    expect(bus.events).toEqual([]);
  });
});

describe("Ticket.lastCustomerMessageAt", () => {
  it("is set when a customer opens a ticket or writes, not by staff replies or notes", async () => {
    const { deps, clock } = testDeps();
    const customer = await makeUser("CUSTOMER");
    const agent = await makeUser("AGENT");
    const asCustomer = await callerFor(deps, customer.id);
    const asAgent = await callerFor(deps, agent.id);
    const opened = clock.now();
    const created = await asCustomer.ticket.create({ subject: "Hola", description: "Primera" });
    const read = async () => (await db.ticket.findUniqueOrThrow({ where: { id: created.id } })).lastCustomerMessageAt;
    expect(await read()).toEqual(opened);

    clock.advance(60_000);
    await asAgent.ticket.reply({ ticketId: created.id, body: "Respuesta" });
    await asAgent.ticket.reply({ ticketId: created.id, body: "Nota", internal: true });
    expect(await read()).toEqual(opened);

    clock.advance(60_000);
    await asCustomer.ticket.reply({ ticketId: created.id, body: "Gracias" });
    expect(await read()).toEqual(clock.now());
    const row = (await asAgent.ticket.queue({ view: "all", search: `#${created.number}` })).items[0]!;
    expect(row.lastCustomerMessageAt).toEqual(clock.now());
  });
});
