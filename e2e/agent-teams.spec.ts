import type { Page } from "@playwright/test";
import { makeCategory, makeTicket } from "./support/tickets";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

const viewButton = (page: Page, name: string) => page.getByRole("navigation", { name: "Vistas" }).getByRole("button", { name: new RegExp(`^${name} `) });

test("an admin makes a team; an agent hands a ticket to it; its member finds it under «Mi equipo» and hands another over in bulk", async ({
  browser,
  adminAccount,
  agentAccount,
  customerAccount,
}) => {
  const category = await makeCategory();
  const teamName = `Nivel 2 ${uniq()}`;
  const first = await makeTicket(category, customerAccount, `Impresora atascada ${uniq()}`);
  const second = await makeTicket(category, customerAccount, `VPN caída ${uniq()}`);

  const admin = await signIn(browser, adminAccount);
  await admin.goto("/admin/equipos");
  const form = admin.getByRole("region", { name: "Nuevo equipo" });
  await form.getByLabel("Nombre").fill(teamName);
  await form.getByLabel("Descripción").fill("Incidencias que la primera línea no resuelve");
  await form.getByRole("group", { name: "Miembros" }).getByLabel(new RegExp(agentAccount.email.replace(/[.+]/g, "\\$&"))).check();
  await form.getByRole("button", { name: "Crear equipo" }).click();
  await expect(admin.getByRole("status")).toHaveText(`Equipo «${teamName}» creado.`);
  const row = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: new RegExp(teamName) }) });
  await expect(row.getByRole("cell").first()).toContainText(agentAccount.name);

  // The admin (not a member) hands the first ticket to the team from its page.
  await admin.goto(`/agent/tickets/${first.number}`);
  await admin.getByRole("combobox", { name: "Equipo", exact: true }).selectOption({ label: teamName });
  await expect(admin.getByTestId("ticket-team")).toHaveText(teamName);
  await expect(admin.getByRole("region", { name: "Movimientos" })).toContainText(`Equipo: — → ${teamName}`);

  // The member sees it under "Mi equipo", counted, and hands the second ticket over in bulk.
  const agent = await signIn(browser, agentAccount);
  await agent.goto("/agent");
  await agent.getByLabel("Categoría").selectOption({ label: category });
  await expect(viewButton(agent, "Mi equipo")).toHaveAccessibleName("Mi equipo 1");
  await viewButton(agent, "Mi equipo").click();
  const firstRow = agent.getByRole("row").filter({ has: agent.getByRole("link", { name: first.subject }) });
  await expect(firstRow).toContainText(teamName);

  await viewButton(agent, "Sin asignar").click();
  await agent.getByRole("checkbox", { name: new RegExp(`#${second.number}:`) }).check();
  await agent.getByLabel("Pasar al equipo").selectOption({ label: teamName });
  await agent.getByRole("button", { name: "Pasar", exact: true }).click();
  await expect(agent.getByText("1 tickets actualizados.")).toBeVisible();
  await expect(viewButton(agent, "Mi equipo")).toHaveAccessibleName("Mi equipo 2");

  // Customers are never told how the staff route their tickets.
  const customer = await signIn(browser, customerAccount);
  await customer.goto(`/portal/tickets/${first.number}`);
  await expect(customer.getByRole("heading", { name: first.subject })).toBeVisible();
  await expect(customer.getByText(teamName)).toHaveCount(0);
});
