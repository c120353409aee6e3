import nodemailer from "nodemailer";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

type Mail = Awaited<ReturnType<typeof receivedMail>>[number];
const recipients = (m: Mail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));

test("a first mail from a new address brings an invitation: a password, a name, and the ticket in the portal", async ({ page, browser }) => {
  const stamp = uniq();
  const sender = `lucia.${stamp}@cliente.test`;
  const subject = `No puedo entrar a la intranet ${stamp}`;
  const password = "una-clave-segura";

  const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: Number(process.env.E2E_SMTP_INBOUND_PORT), secure: false, ignoreTLS: true });
  await smtp.sendMail({ from: { name: "Lucía Gómez", address: sender }, to: "soporte@ventanilla.test", subject, text: "Desde esta mañana la intranet me pide la contraseña una y otra vez." });
  smtp.close();

  // The invitation reaches the sender at the SMTP server, with a link to this app.
  let invitation: Mail | undefined;
  await expect
    .poll(
      async () => {
        invitation = (await receivedMail()).find((m) => recipients(m).includes(sender) && m.subject === "Active su acceso al portal de soporte");
        return !!invitation;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  expect(invitation!.html || "").toContain("Aceptar la invitación");
  const link = /https?:\/\/\S+\/invitacion\/[A-Za-z0-9_-]+/.exec(invitation!.text ?? "")?.[0];
  expect(link).toBeDefined();
  expect(link!.startsWith(`${process.env.E2E_BASE_URL}/invitacion/`)).toBe(true);

  await page.goto(link!);
  await expect(page.getByLabel("Correo electrónico")).toHaveValue(sender);
  // A mistyped repeat is refused, next to the field.
  await page.getByLabel("Contraseña", { exact: true }).fill(password);
  await page.getByLabel("Repetir contraseña", { exact: true }).fill(`${password}x`);
  await page.getByRole("button", { name: "Registrarse" }).click();
  await expect(page.getByText("Las contraseñas no coinciden.")).toBeVisible();
  await expect(page).toHaveURL(/\/invitacion\//);

  await page.getByLabel("Contraseña", { exact: true }).fill(password);
  await page.getByLabel("Repetir contraseña", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Registrarse" }).click();

  // Signed in, on the profile page with a welcome.
  await expect(page).toHaveURL(/\/portal\/perfil\?bienvenida=1$/);
  await expect(page.getByText("¡Bienvenido! Su cuenta está activa.")).toBeVisible();
  await expect(page.getByLabel("Nombre")).toHaveValue("Lucía Gómez");
  await page.getByLabel("Nombre").fill("Lucía Gómez Ruiz");
  await page.getByRole("button", { name: "Guardar" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Perfil guardado." })).toBeVisible();

  await page.getByRole("link", { name: "Inicio" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { name: "Mis tickets" })).toBeVisible();
  await expect(page.getByRole("link", { name: subject })).toBeVisible();

  // The link worked once: opening it again says so and points to the login page.
  await page.goto(link!);
  await expect(page.getByRole("alert").filter({ hasText: "Este enlace de invitación ya se ha utilizado." })).toBeVisible();
  await expect(page.getByRole("link", { name: "Iniciar sesión" })).toHaveAttribute("href", "/login");
  await expect(page.getByRole("button", { name: "Registrarse" })).toHaveCount(0);

  // The new password is a real login, in a fresh browser.
  const fresh = await signIn(browser, { email: sender, password });
  await expect(fresh).toHaveURL(/\/portal$/);
  await expect(fresh.getByRole("link", { name: subject })).toBeVisible();
  await fresh.context().close();
});

test("an unknown invitation link is explained, with the way to the login page", async ({ page }) => {
  await page.goto("/invitacion/no-es-un-enlace-valido");
  await expect(page.getByRole("alert").filter({ hasText: "Este enlace de invitación no es válido." })).toBeVisible();
  await expect(page.getByRole("link", { name: "Iniciar sesión" })).toHaveAttribute("href", "/login");
});
