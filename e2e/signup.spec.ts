import type { Browser } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { linkIn, waitForMail } from "./support/mail-links";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";
import type { TestUser } from "./support/users";

async function setSignup(browser: Browser, admin: TestUser, on: boolean) {
  const page = await signIn(browser, admin);
  await page.goto("/admin/ajustes");
  const box = page.getByRole("checkbox", { name: "Permitir que los clientes creen su cuenta desde «Crear una cuenta»" });
  await box.setChecked(on);
  await page.getByRole("button", { name: "Guardar" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Ajustes guardados." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Permitir que los clientes creen su cuenta desde «Crear una cuenta»" })).toBeChecked({ checked: on });
  await page.context().close();
}

// One test: the switch is global, so its off and on states are checked in order, and left off.
test("sign-up is by invitation until an admin turns it on; then a visitor registers, activates from the mail and signs in", async ({ browser, adminAccount, customerAccount }) => {
  const visitor = await (await browser.newContext()).newPage();
  // Off (the default): no link on the login page, and /registro says access is by invitation.
  await visitor.goto("/login");
  await expect(visitor.getByRole("link", { name: "¿Olvidó su contraseña?" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: "Crear una cuenta" })).toHaveCount(0);
  await visitor.goto("/registro");
  await expect(visitor.getByRole("status")).toContainText("El acceso al portal de soporte es por invitación");
  await expect(visitor.getByRole("button", { name: "Crear la cuenta" })).toHaveCount(0);

  await setSignup(browser, adminAccount, true);

  const email = `nueva.${uniq()}@e2e.test`;
  const password = `clave-de-${uniq()}-larga`;
  await visitor.goto("/login");
  await visitor.getByRole("link", { name: "Crear una cuenta" }).click();
  await expect(visitor).toHaveURL(/\/registro$/);
  await visitor.getByLabel("Nombre").fill("Nuria Registro");
  await visitor.getByLabel("Correo electrónico").fill(email);
  await visitor.getByLabel("Contraseña", { exact: true }).fill(password);
  await visitor.getByLabel("Repetir contraseña").fill(password);
  await visitor.getByRole("button", { name: "Crear la cuenta" }).click();
  await expect(visitor.getByRole("status")).toHaveText(`Le hemos enviado un correo a ${email}. Abra el enlace que contiene para activar su cuenta; caduca en 24 horas.`);

  // Not an account before the address is verified: the password opens nothing yet.
  const early = await (await browser.newContext()).newPage();
  await early.goto("/login");
  await early.getByLabel("Correo electrónico").fill(email);
  await early.getByLabel("Contraseña").fill(password);
  await early.getByRole("button", { name: "Iniciar sesión" }).click();
  await expect(early.getByRole("alert").filter({ hasText: "Correo o contraseña incorrectos." })).toBeVisible();
  await early.context().close();

  const mail = await waitForMail(email, "Active su cuenta de Ventanilla Soporte");
  const link = linkIn(mail, "registro/activar");
  await visitor.goto(link);
  await expect(visitor.getByText(`Para activar la cuenta de ${email}, escriba la contraseña que eligió al registrarse.`)).toBeVisible();
  await visitor.getByLabel("Contraseña").fill("no-es-la-que-eligio");
  await visitor.getByRole("button", { name: "Activar la cuenta" }).click();
  await expect(visitor.getByRole("alert").filter({ hasText: "La contraseña no coincide con la que eligió al registrarse." })).toBeVisible();
  await visitor.getByLabel("Contraseña").fill(password);
  await visitor.getByRole("button", { name: "Activar la cuenta" }).click();
  await expect(visitor).toHaveURL(/\/portal$/);
  await expect(visitor.getByRole("heading", { name: "Mis tickets" })).toBeVisible();
  await visitor.context().close();

  // A real login from now on.
  const later = await signIn(browser, { email, password });
  await expect(later).toHaveURL(/\/portal$/);
  await later.context().close();

  // An address that already has an account: the same answer, and a mail saying so instead of a second account.
  const other = await (await browser.newContext()).newPage();
  await other.goto("/registro");
  await other.getByLabel("Nombre").fill("Otra Persona");
  await other.getByLabel("Correo electrónico").fill(customerAccount.email);
  await other.getByLabel("Contraseña", { exact: true }).fill(password);
  await other.getByLabel("Repetir contraseña").fill(password);
  await other.getByRole("button", { name: "Crear la cuenta" }).click();
  await expect(other.getByRole("status")).toHaveText(`Le hemos enviado un correo a ${customerAccount.email}. Abra el enlace que contiene para activar su cuenta; caduca en 24 horas.`);
  const existing = await waitForMail(customerAccount.email, "Ya tiene una cuenta en Ventanilla Soporte");
  expect(existing.text).toContain(`${process.env.E2E_BASE_URL}/recuperar`);
  await other.context().close();

  // Off again: the link goes away.
  await setSignup(browser, adminAccount, false);
  const after = await (await browser.newContext()).newPage();
  await after.goto("/login");
  await expect(after.getByRole("link", { name: "Crear una cuenta" })).toHaveCount(0);
  await after.context().close();
});
