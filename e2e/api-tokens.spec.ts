import { openAdminPage } from "./support/admin";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

test("an agent creates an API token on the page, sees it once, uses it, and revokes it", async ({ browser, agentAccount }) => {
  const page = await signIn(browser, agentAccount);
  await page.getByRole("navigation").getByRole("link", { name: "Mi perfil" }).click();
  await page.getByRole("link", { name: "Tokens de la API" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tokens de la API" })).toBeVisible();

  const name = `Informe ${uniq()}`;
  const form = page.getByRole("region", { name: "Token nuevo" });
  await form.getByLabel("Nombre del token").fill(name);
  await form.getByRole("group", { name: "Permisos" }).getByLabel("Lectura y escritura").check();
  await form.getByLabel("Caduca").selectOption({ label: "En 30 días" });
  await form.getByRole("button", { name: "Crear token" }).click();

  const shown = page.getByRole("region", { name: `Token «${name}» creado` });
  await expect(shown.getByRole("status")).toContainText("no se volverá a mostrar");
  const secret = await shown.getByLabel("Token (se muestra una sola vez)").inputValue();
  expect(secret).toMatch(/^vnt_[A-Za-z0-9_-]{43}$/);

  // It works at once, as the agent.
  const me = await page.request.get("/api/v1/users/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(agentAccount.email);

  // Once put away it is never shown again, not even after a reload; the list shows its start and last use.
  await shown.getByRole("button", { name: "Ya lo he guardado" }).click();
  await page.reload();
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText("Lectura y escritura");
  await expect(row).not.toContainText("Sin usar");
  await expect(row).toContainText("Activo");
  expect(await page.content()).not.toContain(secret);

  await row.getByRole("button", { name: `Revocar: ${name}` }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`¿Revocar el token «${name}»?`);
  await dialog.getByRole("button", { name: "Revocar" }).click();
  await expect(page.getByRole("status")).toHaveText(`Token «${name}» revocado.`);
  await expect(row).toContainText("Revocado");
  await expect(row.getByRole("button", { name: `Revocar: ${name}` })).toHaveCount(0);

  const refused = await page.request.get("/api/v1/users/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
});

test("an admin makes a service token acting as an agent at /admin/api, and reads the API reference", async ({ browser, adminAccount, agentAccount }) => {
  const page = await signIn(browser, adminAccount);
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  await page.goto("/agent");
  await openAdminPage(page, "API de integración");
  await expect(page.getByRole("heading", { level: 1, name: "API de integración" })).toBeVisible();

  const name = `CRM ${uniq()}`;
  const form = page.getByRole("region", { name: "Token de servicio nuevo" });
  await form.getByLabel("Nombre del token").fill(name);
  await form.getByLabel("Actúa como").selectOption({ label: `${agentAccount.name} (${agentAccount.email})` });
  await form.getByRole("button", { name: "Crear token" }).click();
  const secret = await page.getByLabel("Token (se muestra una sola vez)").inputValue();
  const me = await page.request.get("/api/v1/users/me", { headers: { authorization: `Bearer ${secret}` } });
  expect((await me.json()).email).toBe(agentAccount.email);
  await page.getByRole("button", { name: "Ya lo he guardado" }).click();
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
  await expect(row).toContainText("De servicio");
  await expect(row).toContainText("Solo lectura");

  await page.getByRole("link", { name: "Referencia de la API" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Referencia de la API v1" })).toBeVisible();
  // Rendered from /api/v1/openapi.json by the bundled reference, within the site's CSP.
  await expect(page.getByText("List tickets: the token user's queue with filters, in pages").first()).toBeVisible({ timeout: 20_000 });
  expect(violations).toEqual([]);
});
