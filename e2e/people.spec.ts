// /admin/personas as an admin works it: inviting an agent by mail (received over real SMTP), the
// agent joining and working their team's queue; deactivating an agent signed in elsewhere.
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { linkIn } from "./support/mail-links";
import { receivedMail } from "./support/mailbox";
import { signIn, signInOn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";
import { openAdminPage } from "./support/admin";
import type { Page } from "@playwright/test";

type Mail = Awaited<ReturnType<typeof receivedMail>>[number];
const recipients = (m: Mail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
const viewButton = (page: Page, name: string) => page.getByRole("navigation", { name: "Vistas" }).getByRole("button", { name: new RegExp(`^${name} `) });

test("an admin invites an agent into a team; the mail arrives; the agent sets a password, signs in and works the team's queue", async ({ browser, adminAccount, customerAccount }) => {
  const tag = uniq();
  const teamName = `Soporte N1 ${tag}`;
  await query(`INSERT INTO "Team" (id, name, "updatedAt") VALUES ($1, $2, now())`, [`e2e-team-${tag}`, teamName]);
  const category = await makeCategory();
  const ticket = await makeTicket(category, customerAccount, `Monitor sin señal ${tag}`);
  await query(`UPDATE "Ticket" SET "teamId" = $1 WHERE id = $2`, [`e2e-team-${tag}`, ticket.id]);
  const email = `nueva.agente.${tag}@e2e.test`;
  const password = "clave-de-la-agente-1";

  const admin = await signIn(browser, adminAccount);
  await openAdminPage(admin, "Personas");
  await expect(admin.getByRole("heading", { name: "Personas", level: 1 })).toBeVisible();
  const form = admin.getByRole("region", { name: "Invitar a una persona" });
  await form.getByLabel("Correo").fill(email);
  await form.getByLabel("Nombre (opcional)").fill("Nora Agente");
  await form.getByLabel("Rol").selectOption({ label: "Agente" });
  await form.getByRole("group", { name: "Equipos" }).getByLabel(teamName).check();
  await form.getByRole("button", { name: "Enviar invitación" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `Invitación enviada a ${email}.` })).toBeVisible();
  const row = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: /Nora Agente/ }) });
  await expect(row).toContainText("Invitación pendiente");
  await expect(row).toContainText(teamName);

  // The invitation arrives at the SMTP server with a single-use link to this app.
  let invitation: Mail | undefined;
  await expect
    .poll(async () => (invitation = (await receivedMail()).find((m) => recipients(m).includes(email) && /^Invitación a la mesa de ayuda/.test(m.subject ?? ""))) !== undefined, {
      timeout: 20_000,
    })
    .toBe(true);
  expect(invitation!.text).toContain("como Agente");
  const link = linkIn(invitation!, "invitacion");

  const agent = await (await browser.newContext()).newPage();
  await agent.goto(link);
  await expect(agent.getByLabel("Correo electrónico")).toHaveValue(email);
  await agent.getByLabel("Contraseña", { exact: true }).fill(password);
  await agent.getByLabel("Repetir contraseña", { exact: true }).fill(password);
  await agent.getByRole("button", { name: "Registrarse" }).click();
  await expect(agent).toHaveURL(/\/agent$/);

  // A real password sign-in, in a fresh browser: the team's ticket is under «Mi equipo».
  const fresh = await signIn(browser, { email, password });
  await expect(fresh).toHaveURL(/\/agent$/);
  await fresh.getByLabel("Categoría").selectOption({ label: category });
  await expect(viewButton(fresh, "Mi equipo")).toHaveAccessibleName("Mi equipo 1");
  await viewButton(fresh, "Mi equipo").click();
  await expect(fresh.getByRole("link", { name: ticket.subject })).toBeVisible();

  // The admin's list now shows her as active, no longer pending.
  await admin.reload();
  await expect(admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: /Nora Agente/ }) })).not.toContainText("Invitación pendiente");
  await agent.context().close();
  await fresh.context().close();
});

test("an admin deactivates an agent signed in elsewhere: the agent's socket drops, their next action is refused, they cannot sign in again", async ({
  browser,
  adminAccount,
  agentAccount,
  customerAccount,
}) => {
  const category = await makeCategory();
  const held = await makeTicket(category, customerAccount, `Portátil lento ${uniq()}`, { assigneeId: agentAccount.id });

  const agent = await signIn(browser, agentAccount);
  await agent.goto("/agent");
  await expect(agent.getByRole("status").filter({ hasText: "En vivo" })).toBeVisible();

  const admin = await signIn(browser, adminAccount);
  await admin.goto("/admin/personas");
  await admin.getByLabel("Buscar por nombre o correo").fill(agentAccount.email);
  await admin.getByRole("button", { name: `Desactivar a ${agentAccount.name}` }).click();
  const dialog = admin.getByRole("alertdialog");
  await expect(dialog).toContainText(`¿Desactivar a ${agentAccount.name}?`);
  await dialog.getByRole("button", { name: "Desactivar" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `${agentAccount.name} está desactivada.` })).toBeVisible();
  await expect(admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: new RegExp(agentAccount.name) }) })).toContainText("Desactivada");

  // The agent's open page hears it at once: its socket is disconnected and may not reconnect.
  await expect(agent.getByRole("status").filter({ hasText: "Sin conexión" })).toBeVisible({ timeout: 10_000 });
  // Their next action is refused: the page sends them to sign in, and signing in says why it fails.
  await agent.reload();
  await expect(agent).toHaveURL(/\/login/);
  await signInOn(agent, agentAccount);
  await expect(agent.getByRole("alert").filter({ hasText: "Su cuenta está desactivada. Si cree que es un error, hable con un administrador." })).toBeVisible();
  await expect(agent).toHaveURL(/\/login/);

  // Their ticket stays theirs, and the admin finds it to reassign under «De personas desactivadas».
  await admin.goto("/agent");
  await admin.getByLabel("Categoría").selectOption({ label: category });
  await admin.getByLabel("Asignado a").selectOption({ label: "De personas desactivadas" });
  await viewButton(admin, "Todos").click();
  await expect(admin.getByRole("link", { name: held.subject })).toBeVisible();
  await agent.context().close();
  await admin.context().close();
});
