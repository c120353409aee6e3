import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { queueScene, queueTicket } from "./support/queue";

const teamName = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

async function adminApi() {
  const { deps } = testDeps();
  const admin = await makeUser("ADMIN");
  return { deps, admin, api: await callerFor(deps, admin.id) };
}

describe("teams: admins manage them", () => {
  it("creates a team with members, renames it, sets members to exactly the given ones, deactivates it", async () => {
    const { api } = await adminApi();
    const [a, b, c] = await Promise.all([makeUser("AGENT"), makeUser("AGENT"), makeUser("ADMIN")]);
    const name = teamName("Nivel 2");
    const created = await api.team.create({ name: `  ${name}  `, description: "Incidencias complejas", memberIds: [a.id, b.id, a.id] });
    expect(created.name).toBe(name);
    expect(created.members.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());

    const updated = await api.team.update({ id: created.id, name: `${name} bis`, memberIds: [b.id, c.id] });
    expect(updated.name).toBe(`${name} bis`);
    expect(updated.members.map((m) => m.id).sort()).toEqual([b.id, c.id].sort());

    await api.team.update({ id: created.id, active: false });
    expect((await api.team.all()).find((t) => t.id === created.id)?.active).toBe(false);
    expect((await api.team.list()).some((t) => t.id === created.id)).toBe(false);
  });

  it("refuses a name another team has in any case, a customer as member, an empty name — and changes nothing", async () => {
    const { api } = await adminApi();
    const customer = await makeUser("CUSTOMER");
    const name = teamName("Facturación");
    const team = await api.team.create({ name });
    await expect(api.team.create({ name: name.toUpperCase() })).rejects.toThrow("Ya existe un equipo con ese nombre.");
    await expect(api.team.update({ id: team.id, memberIds: [customer.id] })).rejects.toThrow("Solo los agentes y administradores pueden formar parte de un equipo.");
    await expect(api.team.create({ name: "   " })).rejects.toThrow("El nombre es obligatorio.");
    await expect(api.team.update({ id: "missing", name: "x" })).rejects.toThrow("El equipo no existe.");
    expect((await db.team.findUniqueOrThrow({ where: { id: team.id }, include: { members: true } })).members).toEqual([]);
  });

  it("only admins manage teams; agents list the active ones; customers nothing", async () => {
    const { deps } = testDeps();
    const [agent, customer] = await Promise.all([makeUser("AGENT"), makeUser("CUSTOMER")]);
    const agentApi = await callerFor(deps, agent.id);
    await expect(agentApi.team.create({ name: teamName("x") })).rejects.toThrow();
    await expect(agentApi.team.all()).rejects.toThrow();
    await expect(agentApi.team.list()).resolves.toBeInstanceOf(Array);
    await expect((await callerFor(deps, customer.id)).team.list()).rejects.toThrow();
  });
});

describe("teams: handing tickets to them", () => {
  async function scene() {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const [member, outsider, admin] = await Promise.all([makeUser("AGENT"), makeUser("AGENT"), makeUser("ADMIN")]);
    const adminApi = await callerFor(deps, admin.id);
    const team = await adminApi.team.create({ name: teamName("Soporte"), memberIds: [member.id, agent.id] });
    return { deps, category, customer, agent, member, outsider, team, api: await callerFor(deps, agent.id) };
  }

  it("hands a ticket to a team: history (staff only), version moved, members notified, the customer never sees the team", async () => {
    const { deps, category, customer, agent, member, team, api } = await scene();
    const ticket = await queueTicket(category.id, { requesterId: customer.id, status: "OPEN" });
    const before = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });

    const r = await api.ticket.assign({ ticketId: ticket.id, teamId: team.id, version: before.version });
    expect(r).toMatchObject({ teamId: team.id, assigneeId: null });
    expect(r.version).toBe(before.version + 1);
    await expect(api.ticket.assign({ ticketId: ticket.id, teamId: null, version: before.version })).rejects.toThrow("Otra persona cambió este ticket");

    const seen = await api.ticket.get({ number: ticket.number });
    expect(seen.team).toEqual({ id: team.id, name: team.name });
    expect(seen.events.some((e) => e.type === "TEAM_CHANGED" && e.toValue === team.name)).toBe(true);
    const notes = await db.notification.findMany({ where: { ticketId: ticket.id } });
    expect(notes.map((n) => [n.userId, n.kind])).toEqual([[member.id, "TEAM_ASSIGNED"]]); // not the agent who did it

    const asCustomer = await (await callerFor(deps, customer.id)).ticket.get({ number: ticket.number });
    expect(asCustomer.team).toBeNull();
    expect(asCustomer.events.some((e) => e.type === "TEAM_CHANGED")).toBe(false);
    expect(agent.id).toBeTruthy();
  });

  it("another team keeps the agent only when the agent is a member of it; assigning an agent leaves the team", async () => {
    const { category, customer, member, outsider, team, api } = await scene();
    const ticket = await queueTicket(category.id, { requesterId: customer.id, status: "OPEN", assigneeId: outsider.id });
    expect(await api.ticket.assign({ ticketId: ticket.id, teamId: team.id })).toMatchObject({ teamId: team.id, assigneeId: null });
    expect(await api.ticket.assign({ ticketId: ticket.id, assigneeId: member.id })).toMatchObject({ teamId: team.id, assigneeId: member.id });
    const second = await queueTicket(category.id, { requesterId: customer.id, status: "OPEN", assigneeId: member.id });
    expect(await api.ticket.assign({ ticketId: second.id, teamId: team.id })).toMatchObject({ teamId: team.id, assigneeId: member.id });
    const events = await db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.type).sort()).toEqual(["ASSIGNED", "ASSIGNED", "TEAM_CHANGED"]);
  });

  it("refuses an unknown or deactivated team and changes nothing", async () => {
    const { deps, category, customer, team, api } = await scene();
    const admin = await makeUser("ADMIN");
    await (await callerFor(deps, admin.id)).team.update({ id: team.id, active: false });
    const ticket = await queueTicket(category.id, { requesterId: customer.id, status: "OPEN" });
    await expect(api.ticket.assign({ ticketId: ticket.id, teamId: team.id })).rejects.toThrow("Ese equipo está desactivado");
    await expect(api.ticket.assign({ ticketId: ticket.id, teamId: "nope" })).rejects.toThrow("El equipo no existe.");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).teamId).toBeNull();
    expect(await db.ticketEvent.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it("Mi equipo: the active tickets of the agent's teams, counted; the team filter; bulk hand-over", async () => {
    const { category, customer, member, outsider, team, api } = await scene();
    const base = { requesterId: customer.id };
    const mineOpen = await queueTicket(category.id, { ...base, status: "OPEN", teamId: team.id });
    const mineWaiting = await queueTicket(category.id, { ...base, status: "WAITING_ON_CUSTOMER", teamId: team.id, assigneeId: member.id });
    await queueTicket(category.id, { ...base, status: "CLOSED", teamId: team.id });
    const noTeam = await queueTicket(category.id, { ...base, status: "OPEN" });

    const view = await api.ticket.queue({ view: "team", categoryId: [category.id] });
    expect(view.items.map((t) => t.number)).toEqual([mineOpen.number, mineWaiting.number]);
    expect(view.items[0]!.team).toEqual({ id: team.id, name: team.name });
    expect((await api.ticket.queueCounts({ categoryId: [category.id] })).team).toBe(2);
    expect((await api.ticket.queue({ view: "all", categoryId: [category.id], team: "none" })).items.map((t) => t.number)).toEqual([noTeam.number]);
    expect((await api.ticket.queue({ view: "open", categoryId: [category.id], team: team.id })).items.map((t) => t.number)).toEqual([mineOpen.number]);

    const outsiderApi = await callerFor(testDeps().deps, outsider.id);
    expect((await outsiderApi.ticket.queue({ view: "team", categoryId: [category.id] })).items).toEqual([]);

    const bulk = await api.ticket.bulkUpdate({ ticketIds: [noTeam.id, mineOpen.id], action: { type: "team", teamId: team.id } });
    expect(bulk.updated).toEqual([noTeam.id, mineOpen.id]);
    expect((await api.ticket.queueCounts({ categoryId: [category.id] })).team).toBe(3);
  });
});
