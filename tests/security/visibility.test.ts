// What a customer's ticket page carries about staff: names, never account ids or addresses (an id
// is what a forged session names; an agent's address is what a phisher forges).
import { describe, expect, it } from "vitest";
import { callerFor, makeUser, testDeps } from "../support/fixtures";

describe("staff identities in a customer's view", () => {
  it("a customer sees the agent's name on replies, assignment, history and the ticket list, but not their id or address; staff see both", async () => {
    const { deps } = testDeps();
    const customer = await makeUser("CUSTOMER");
    const agent = await makeUser("AGENT", { name: "Laura Agente" });
    const asCustomer = await callerFor(deps, customer.id);
    const asAgent = await callerFor(deps, agent.id);
    const created = await asCustomer.ticket.create({ subject: "Sin acceso", description: "No puedo entrar", priority: "LOW" });
    await asAgent.ticket.assign({ ticketId: created.id, assigneeId: agent.id });
    await asAgent.ticket.reply({ ticketId: created.id, body: "Ya lo miro." });

    const seen = await asCustomer.ticket.get({ number: created.number });
    const json = JSON.stringify(seen);
    expect(json).not.toContain(agent.id);
    expect(json).not.toContain(agent.email);
    expect(json).toContain("Laura Agente");
    expect(seen.messages.map((m) => m.author?.id)).toEqual([customer.id, ""]);

    const list = JSON.stringify(await asCustomer.ticket.list({ limit: 10 }));
    expect(list).toContain("Laura Agente");
    expect(list).not.toContain(agent.id);
    expect(list).not.toContain(agent.email);

    const staffView = JSON.stringify(await asAgent.ticket.get({ number: created.number }));
    expect(staffView).toContain(agent.id);
    expect(staffView).toContain(agent.email);
  });
});
