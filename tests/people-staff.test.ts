// /admin/personas: inviting staff, roles, deactivation, and who may call each people procedure.
import { describe, expect, it } from "vitest";
import { hashPassword } from "~/server/auth/password";
import { ACCOUNT_DEACTIVATED, authorizeCredentials } from "~/server/auth/credentials";
import { oauthSignInCallback } from "~/server/auth/oauth-linking";
import { hashInvitationToken } from "~/server/modules/users/invitations";
import type { Account } from "next-auth";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { queueScene, queueTicket } from "./support/queue";
import { uniq } from "./support/uniq";

async function adminApi() {
  const { deps, bus } = testDeps();
  const admin = await makeUser("ADMIN");
  return { deps, bus, admin, api: await callerFor(deps, admin.id) };
}

const audits = (entityId: string) => db.auditLog.findMany({ where: { entityId }, orderBy: { createdAt: "asc" } });

describe("inviting staff", () => {
  it("creates the agent without a password, in the chosen teams, stages a single-use hashed invitation mail, audits it", async () => {
    const { api, bus, admin } = await adminApi();
    const team = await api.team.create({ name: `Nivel 1 ${uniq()}` });
    const email = `Agente-${uniq()}@Example.test`;
    const invited = await api.people.invite({ email, name: "Ana Agente", role: "AGENT", teamIds: [team.id] });
    expect(invited).toMatchObject({ email: email.toLowerCase(), role: "AGENT", active: true, pending: true, teams: [{ id: team.id, name: team.name }] });

    const user = await db.user.findUniqueOrThrow({ where: { id: invited.id }, include: { invitations: true } });
    expect(user.passwordHash).toBeNull();
    expect(user.invitations).toHaveLength(1);
    const mail = await db.outboundEmail.findFirstOrThrow({ where: { to: email.toLowerCase(), kind: "invitation" } });
    expect(mail.subject).toContain("Invitación a la mesa de ayuda");
    expect(mail.text).toContain("como Agente");
    const token = /\/invitacion\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    // Only the hash is stored: the token itself appears nowhere in the database.
    expect(user.invitations[0]!.tokenHash).toBe(hashInvitationToken(token));
    expect(bus.events).toContainEqual({ type: "staff.invited", userId: invited.id, emailIds: [mail.id] });
    expect((await audits(invited.id)).map((a) => [a.action, a.actorId])).toEqual([["user.invite", admin.id]]);

    // The invitee sets a password through the public invitation procedure, once.
    const anon = await callerFor(testDeps().deps, null);
    await anon.invitation.accept({ token, password: "una-clave-larga-1", passwordConfirm: "una-clave-larga-1" });
    await expect(anon.invitation.accept({ token, password: "una-clave-larga-2", passwordConfirm: "una-clave-larga-2" })).rejects.toThrow();
    expect((await api.people.staff({ q: email })).map((p) => p.pending)).toEqual([false]);
    // …and signs in with it.
    const signedIn = await authorizeCredentials({ email, password: "una-clave-larga-1" }, undefined, testDeps().deps);
    expect(signedIn?.id).toBe(invited.id);
  });

  it("re-invites staff who never accepted (the old link dies), refuses joined staff and customers, changes nothing then", async () => {
    const { api } = await adminApi();
    const email = `pend-${uniq()}@example.test`;
    const first = await api.people.invite({ email, role: "AGENT" });
    const again = await api.people.resendInvitation({ userId: first.id });
    expect(again.id).toBe(first.id);
    const invitations = await db.invitation.findMany({ where: { userId: first.id }, orderBy: { createdAt: "asc" } });
    expect(invitations.filter((i) => !i.usedAt)).toHaveLength(1);

    const joined = await makeUser("AGENT");
    await db.user.update({ where: { id: joined.id }, data: { passwordHash: await hashPassword("clave-de-verdad-1") } });
    await expect(api.people.invite({ email: joined.email, role: "ADMIN" })).rejects.toThrow("Ya hay un agente o administrador con ese correo.");
    await expect(api.people.resendInvitation({ userId: joined.id })).rejects.toThrow("Esa persona ya aceptó su invitación.");
    const customer = await makeUser("CUSTOMER");
    await expect(api.people.invite({ email: customer.email, role: "AGENT" })).rejects.toThrow("Ese correo es de un cliente");
    expect((await db.user.findUniqueOrThrow({ where: { id: customer.id } })).role).toBe("CUSTOMER");
    expect((await db.user.findUniqueOrThrow({ where: { id: joined.id } })).role).toBe("AGENT");
    await expect(api.people.invite({ email: "no-es-correo", role: "AGENT" })).rejects.toThrow();
  });
});

describe("roles and the last admin", () => {
  it("promotes and demotes, audited; an admin never changes themself; the last active admin stays admin", async () => {
    const { api, admin } = await adminApi();
    const agent = await makeUser("AGENT");
    expect((await api.people.setRole({ userId: agent.id, role: "ADMIN" })).role).toBe("ADMIN");
    expect((await api.people.setRole({ userId: agent.id, role: "AGENT" })).role).toBe("AGENT");
    expect((await audits(agent.id)).map((a) => [a.action, a.before, a.after])).toEqual([
      ["user.role", { role: "AGENT" }, { role: "ADMIN" }],
      ["user.role", { role: "ADMIN" }, { role: "AGENT" }],
    ]);
    await expect(api.people.setRole({ userId: admin.id, role: "AGENT" })).rejects.toThrow("No puede cambiar su propio rol");
    await expect(api.people.setActive({ userId: admin.id, active: false })).rejects.toThrow("No puede cambiar su propio rol ni desactivarse");
    const customer = await makeUser("CUSTOMER");
    await expect(api.people.setRole({ userId: customer.id, role: "ADMIN" })).rejects.toThrow("Esa persona no existe.");
    expect((await db.user.findUniqueOrThrow({ where: { id: customer.id } })).role).toBe("CUSTOMER");
  });

  it("refuses demoting or deactivating the last active admin, even when two admins try each other at once", async () => {
    const { deps } = testDeps();
    // This test needs to be alone with its admins: every other active admin is set aside, then restored.
    const others = await db.user.findMany({ where: { role: "ADMIN", deactivatedAt: null }, select: { id: true } });
    const [a, b] = await Promise.all([makeUser("ADMIN"), makeUser("ADMIN")]);
    await db.user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { deactivatedAt: new Date() } });
    try {
      const [apiA, apiB] = await Promise.all([callerFor(deps, a.id), callerFor(deps, b.id)]);
      const results = await Promise.allSettled([apiA.people.setRole({ userId: b.id, role: "AGENT" }), apiB.people.setActive({ userId: a.id, active: false })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(String(refused.reason)).toMatch(/último administrador activo|No puede cambiar|sesión/);
      expect(await db.user.count({ where: { id: { in: [a.id, b.id] }, role: "ADMIN", deactivatedAt: null } })).toBe(1);
    } finally {
      await db.user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { deactivatedAt: null } });
    }
  });
});

describe("deactivation", () => {
  it("ends sessions at once, refuses sign-in by password and by Google, keeps tickets assigned but offers the person for no new one", async () => {
    const { api, bus } = await adminApi();
    const { category, customer, agent } = await queueScene();
    await db.user.update({ where: { id: agent.id }, data: { passwordHash: await hashPassword("clave-del-agente-1") } });
    const ticket = await queueTicket(category.id, { requesterId: customer.id, assigneeId: agent.id, status: "OPEN" });
    await db.session.create({ data: { sessionToken: `s-${uniq()}`, userId: agent.id, expires: new Date(Date.now() + 3600_000) } });
    const agentApi = await callerFor(testDeps().deps, agent.id);
    await expect(agentApi.user.me()).resolves.toMatchObject({ id: agent.id });

    const off = await api.people.setActive({ userId: agent.id, active: false });
    expect(off.active).toBe(false);
    expect(bus.events).toContainEqual({ type: "user.sessionsEnded", userId: agent.id });
    // The same cookie is no session any more: every procedure refuses it.
    const stale = await callerFor(testDeps().deps, agent.id);
    await expect(stale.user.me()).resolves.toBeNull();
    await expect(stale.ticket.list({})).rejects.toThrow();
    expect(await db.session.count({ where: { userId: agent.id } })).toBe(0);
    await expect(authorizeCredentials({ email: agent.email, password: "clave-del-agente-1" }, undefined, testDeps().deps)).rejects.toThrow(ACCOUNT_DEACTIVATED);
    // A wrong password says nothing about the account.
    await expect(authorizeCredentials({ email: agent.email, password: "otra-clave-cualquiera" }, undefined, testDeps().deps)).resolves.toBeNull();
    const google = oauthSignInCallback({ db, secret: testDeps().deps.secrets.session, cookieHeader: async () => null });
    const account = { type: "oauth", provider: "google", providerAccountId: `g-${uniq()}` } as Account;
    await expect(google({ account, profile: { email: agent.email, email_verified: true } as never })).resolves.toBe("/login?error=OAuthAccountDeactivated");

    // The ticket stays theirs; the queue finds it under "deactivated"; nobody can hand them a new one.
    const adminQueue = api;
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBe(agent.id);
    const held = await adminQueue.ticket.queue({ view: "all", assignee: "deactivated", categoryId: [category.id] });
    expect(held.items.map((i) => i.id)).toEqual([ticket.id]);
    expect((await adminQueue.user.agents()).map((p) => p.id)).not.toContain(agent.id);
    const other = await queueTicket(category.id, { requesterId: customer.id, status: "OPEN" });
    await expect(adminQueue.ticket.assign({ ticketId: other.id, assigneeId: agent.id })).rejects.toThrow("Solo se puede asignar a un agente activo.");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: other.id } })).assigneeId).toBeNull();

    // Reactivated: a new sign-in works.
    expect((await api.people.setActive({ userId: agent.id, active: true })).active).toBe(true);
    await expect(authorizeCredentials({ email: agent.email, password: "clave-del-agente-1" }, undefined, testDeps().deps)).resolves.toMatchObject({ id: agent.id });
    expect((await audits(agent.id)).map((a) => a.action)).toEqual(["user.deactivate", "user.reactivate"]);
  });

  it("voids a pending invitation: its link no longer sets a password", async () => {
    const { api } = await adminApi();
    const email = `inv-${uniq()}@example.test`;
    const invited = await api.people.invite({ email, role: "AGENT" });
    const mail = await db.outboundEmail.findFirstOrThrow({ where: { to: email, kind: "invitation" } });
    const token = /\/invitacion\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await api.people.setActive({ userId: invited.id, active: false });
    const anon = await callerFor(testDeps().deps, null);
    await expect(anon.invitation.accept({ token, password: "una-clave-larga-1", passwordConfirm: "una-clave-larga-1" })).rejects.toThrow();
    expect((await db.user.findUniqueOrThrow({ where: { id: invited.id } })).passwordHash).toBeNull();
  });
});

describe("who may call the people procedures", () => {
  const calls = (ids: { staffId: string; orgId: string }) =>
    ({
      staff: (api) => api.people.staff({}),
      invite: (api) => api.people.invite({ email: `auth-${uniq()}@example.test`, role: "AGENT" }),
      resendInvitation: (api) => api.people.resendInvitation({ userId: ids.staffId }),
      setRole: (api) => api.people.setRole({ userId: ids.staffId, role: "AGENT" }),
      setActive: (api) => api.people.setActive({ userId: ids.staffId, active: true }),
      customers: (api) => api.people.customers({}),
      organizations: (api) => api.people.organizations(),
      createOrganization: (api) => api.people.createOrganization({ name: `Org ${uniq()}` }),
      updateOrganization: (api) => api.people.updateOrganization({ id: ids.orgId, membersSeeTickets: false }),
    }) satisfies Record<string, (api: Awaited<ReturnType<typeof callerFor>>) => Promise<unknown>>;

  it("customers and agents are refused every admin procedure, with nothing changed; admins are allowed", async () => {
    const { deps } = testDeps();
    const [customer, agent, admin] = await Promise.all([makeUser("CUSTOMER"), makeUser("AGENT"), makeUser("ADMIN")]);
    const pending = await (await callerFor(deps, admin.id)).people.invite({ email: `pend-${uniq()}@example.test`, role: "AGENT" });
    const org = await db.organization.create({ data: { name: `Org ${uniq()}` } });
    const table = calls({ staffId: pending.id, orgId: org.id });
    const before = await db.user.count();
    for (const who of [customer, agent]) {
      const api = await callerFor(deps, who.id);
      for (const [name, call] of Object.entries(table)) {
        await expect(call(api), `${who.role} → people.${name}`).rejects.toMatchObject({ code: "FORBIDDEN" });
      }
    }
    const anon = await callerFor(deps, null);
    for (const call of Object.values(table)) await expect(call(anon)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await db.user.count()).toBeGreaterThanOrEqual(before);
    expect(await db.auditLog.count({ where: { actorId: { in: [customer.id, agent.id] } } })).toBe(0);

    const adminApi = await callerFor(deps, admin.id);
    for (const [name, call] of Object.entries(table)) {
      await expect(call(adminApi).then(() => "ok"), `ADMIN → people.${name}`).resolves.toBe("ok");
    }
  });

  it("myOrganization answers each signed-in person about their own organization only", async () => {
    const { deps } = testDeps();
    const agent = await makeUser("AGENT");
    await expect((await callerFor(deps, agent.id)).people.myOrganization()).resolves.toBeNull();
    await expect((await callerFor(deps, null)).people.myOrganization()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
