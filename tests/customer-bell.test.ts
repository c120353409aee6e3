import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createDispatcher } from "~/server/modules/dispatch";
import type { DomainEvent } from "~/server/modules/events";
import { notifyRequester } from "~/server/modules/notifications/customer-bell";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { uniq } from "./support/uniq";

/** Deps whose bus is the real dispatcher (as composeApp builds it), recording what it emits and the events. */
function dispatchingDeps() {
  const base = testDeps();
  const emitted: Array<{ rooms: string[]; event: string; payload: unknown }> = [];
  const events: DomainEvent[] = [];
  const dispatcher = createDispatcher({
    emit: (rooms, event, payload) => void emitted.push({ rooms: [...rooms], event, payload }),
    enqueueEmails: async () => {},
    notifyRequester: (e) => notifyRequester(base.deps, e),
    onError: (err) => {
      throw err;
    },
  });
  const bus = {
    async publish(e: DomainEvent) {
      events.push(e);
      await dispatcher.publish(e);
    },
  };
  return { ...base, deps: { ...base.deps, bus }, emitted, events };
}

async function setUp() {
  const ctx = dispatchingDeps();
  const customer = await makeUser("CUSTOMER");
  const agent = await makeUser("AGENT", { name: "Ana Agente" });
  const ticket = await (await callerFor(ctx.deps, customer.id)).ticket.create({ subject: `Campana cliente ${uniq()}`, description: "No imprime la impresora." });
  return { ...ctx, customer, agent, ticket, asCustomer: await callerFor(ctx.deps, customer.id), asAgent: await callerFor(ctx.deps, agent.id) };
}

const rowsFor = (userId: string) => db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

describe("customer bell rows", () => {
  it("an agent's public reply is one notification, announced on the customer's room; an internal note none", async () => {
    const { customer, agent, ticket, asAgent, asCustomer, emitted } = await setUp();
    await asAgent.ticket.reply({ ticketId: ticket.id, body: "Nota solo para el equipo", internal: true });
    expect(await rowsFor(customer.id)).toEqual([]);
    expect(emitted.filter((e) => e.event === "notification:created")).toEqual([]);

    await asAgent.ticket.reply({ ticketId: ticket.id, body: "¿Puede enviarnos una foto del error?" });
    const rows = await rowsFor(customer.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "AGENT_REPLIED", ticketId: ticket.id, actorId: agent.id, readAt: null });
    expect(emitted.filter((e) => e.event === "notification:created")).toEqual([
      { rooms: [`user:${customer.id}`], event: "notification:created", payload: expect.objectContaining({ notificationId: rows[0]!.id, ticketId: ticket.id }) },
    ]);
    expect(await asCustomer.notification.unreadCount()).toBe(1);
    const [listed] = await asCustomer.notification.list({ limit: 5 });
    expect(listed).toMatchObject({ kind: "AGENT_REPLIED", ticket: { number: ticket.number }, actor: { name: "Ana Agente" } });
    // The agent's own bell is untouched.
    expect(await rowsFor(agent.id)).toEqual([]);
  });

  it("a dispatch retried stores nothing twice", async () => {
    const { customer, ticket, asAgent, deps, events } = await setUp();
    await asAgent.ticket.reply({ ticketId: ticket.id, body: "Estamos en ello." });
    await asAgent.ticket.setStatus({ ticketId: ticket.id, status: "IN_PROGRESS" });
    expect((await rowsFor(customer.id)).map((r) => r.kind).sort()).toEqual(["AGENT_REPLIED", "STATUS_CHANGED"]);
    for (const e of [...events]) await deps.bus.publish(e);
    const rows = await rowsFor(customer.id);
    expect(rows.map((r) => r.kind).sort()).toEqual(["AGENT_REPLIED", "STATUS_CHANGED"]);
    expect(rows.find((r) => r.kind === "STATUS_CHANGED")!.detail).toBe("IN_PROGRESS");
  });

  it("a status change by an agent notifies; the customer's own closing and reply do not; a reply that moves the status is one row", async () => {
    const { customer, ticket, asAgent, asCustomer } = await setUp();
    await asAgent.ticket.resolve({ ticketId: ticket.id, body: "Reinstalamos el controlador: ya imprime." });
    const rows = await rowsFor(customer.id);
    expect(rows.map((r) => r.kind)).toEqual(["AGENT_REPLIED"]);

    await asCustomer.ticket.reply({ ticketId: ticket.id, body: "Sigue sin imprimir, lo siento." });
    await asCustomer.ticket.setStatus({ ticketId: ticket.id, status: "CLOSED" });
    expect(await rowsFor(customer.id)).toHaveLength(1);
  });

  it("marks read only the customer's own rows: another customer's ids are not found", async () => {
    const a = await setUp();
    const b = await setUp();
    await a.asAgent.ticket.reply({ ticketId: a.ticket.id, body: "Respuesta para A" });
    await b.asAgent.ticket.reply({ ticketId: b.ticket.id, body: "Respuesta para B" });
    const [rowA] = await rowsFor(a.customer.id);
    const [rowB] = await rowsFor(b.customer.id);

    const err = await b.asCustomer.notification.markRead({ id: rowA!.id }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("NOT_FOUND");
    expect((await db.notification.findUniqueOrThrow({ where: { id: rowA!.id } })).readAt).toBeNull();
    expect((await b.asCustomer.notification.list({ limit: 10 })).map((n) => n.id)).toEqual([rowB!.id]);

    expect(await b.asCustomer.notification.markAllRead()).toEqual({ count: 1 });
    expect(await a.asCustomer.notification.unreadCount()).toBe(1);
    await a.asCustomer.notification.markRead({ id: rowA!.id });
    expect(await a.asCustomer.notification.unreadCount()).toBe(0);
  });
});
