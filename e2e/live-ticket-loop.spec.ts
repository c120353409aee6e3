import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { signIn, signInOn } from "./support/sign-in";
import { uniq } from "./support/uniq";

/** A flag on `window` survives only as long as the page is not reloaded or navigated. */
async function markPage(page: Page) {
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}
async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
}

test("a customer's ticket and an agent's reply travel live both ways, with both emails sent", async ({ browser, agentAccount, customerAccount }) => {
  const subject = `La VPN se desconecta ${uniq()}`;

  const agent = await signIn(browser, agentAccount);
  await expect(agent).toHaveURL(/\/agent$/);
  await expect(agent.getByRole("heading", { name: "Cola de tickets" })).toBeVisible();
  await expect(agent.getByRole("status")).toHaveText("En vivo");
  await markPage(agent);

  const customer = await signIn(browser, customerAccount);
  await expect(customer).toHaveURL(/\/portal$/);
  await customer.getByRole("link", { name: "Agregar ticket" }).click();
  await customer.getByLabel("Asunto").fill(subject);
  await customer.getByLabel("Descripción").fill("Cada diez minutos la VPN se cae y pierdo la sesión.");
  await customer.getByRole("radio", { name: "Alta" }).check();
  await customer.getByLabel("Categoría").selectOption({ label: "Software" });
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await customer.getByRole("button", { name: "Continuar" }).click();
  await customer.getByRole("button", { name: "Enviar" }).click();
  await expect(customer.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();
  const number = Number((await customer.getByRole("heading", { name: new RegExp(subject) }).textContent())!.match(/#(\d+)/)![1]);
  await expect(customer.getByTestId("ticket-status")).toHaveText("Abierto");
  await markPage(customer);

  // The agent's queue shows the new ticket without a reload.
  const row = agent.getByRole("link", { name: subject });
  await expect(row).toBeVisible({ timeout: 5_000 });
  await expectNotReloaded(agent);

  await row.click();
  await expect(agent.getByRole("heading", { name: new RegExp(`#${number}`) })).toBeVisible();
  await agent.getByLabel("Respuesta").fill("Hola Carla, estamos revisando el concentrador VPN.");
  await agent.getByRole("button", { name: "Responder" }).click();

  // The reply appears in the customer's open thread without a reload.
  await expect(customer.getByText("Hola Carla, estamos revisando el concentrador VPN.")).toBeVisible({ timeout: 5_000 });
  await expectNotReloaded(customer);

  // An internal note never reaches the customer; a status change does, live.
  await agent.getByLabel("Respuesta").fill("Nota: revisar el firmware del concentrador.");
  await agent.getByLabel("Nota interna (no la ve el cliente)").check();
  await agent.getByRole("button", { name: "Responder" }).click();
  await expect(agent.getByText("Nota: revisar el firmware del concentrador.")).toBeVisible();
  await agent.getByLabel("Cambiar estado").selectOption({ label: "Trabajando" });
  await expect(customer.getByTestId("ticket-status")).toHaveText("Trabajando");
  await expect(customer.getByText("Nota: revisar el firmware")).toHaveCount(0);
  await expectNotReloaded(customer);

  // Both emails reached the SMTP server with the ticket's number.
  await expect
    .poll(async () => (await receivedMail()).map((m) => m.subject ?? "").filter((s) => s.includes(`[#${number}]`)), { timeout: 15_000 })
    .toEqual(expect.arrayContaining([`[#${number}] Ticket recibido: ${subject}`, `[#${number}] Nueva respuesta: ${subject}`]));
  const mails = await receivedMail();
  const created = mails.find((m) => m.subject === `[#${number}] Ticket recibido: ${subject}`)!;
  expect(created.to && "text" in created.to ? created.to.text : "").toContain(customerAccount.email);
  const reply = mails.find((m) => m.subject === `[#${number}] Nueva respuesta: ${subject}`)!;
  expect(reply.text).toContain("estamos revisando el concentrador VPN");
  expect(reply.text).not.toContain("firmware");
});

test("a customer cannot open another customer's ticket, nor the agent queue", async ({ browser, customerAccount }) => {
  const customer = await signIn(browser, customerAccount);
  await expect(customer).toHaveURL(/\/portal$/);
  await customer.goto("/agent");
  await expect(customer).toHaveURL(/\/portal$/);
  await customer.goto("/portal/tickets/999999");
  // (Next.js keeps an empty role="alert" route announcer on every page, hence the filter.)
  await expect(customer.getByRole("alert").filter({ hasText: "El ticket no existe o no tiene acceso a él." })).toBeVisible();
});

test("wrong credentials are refused with a clear message", async ({ page, customerAccount }) => {
  await signInOn(page, { email: customerAccount.email, password: "incorrecta" });
  await expect(page.getByRole("alert").filter({ hasText: "Correo o contraseña incorrectos." })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});
