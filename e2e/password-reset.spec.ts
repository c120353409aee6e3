import { expect, test } from "./support/fixtures";
import { linkIn, waitForMail } from "./support/mail-links";
import { receivedMail } from "./support/mailbox";
import { signIn, signInOn } from "./support/sign-in";
import { uniq } from "./support/uniq";

const SUBJECT = "Restablecer su contraseña de Ventanilla Soporte";

test("a customer who forgot the password asks for a link, sets a new password from the mail, and only the new one works", async ({ browser, page, customerAccount }) => {
  const newPassword = `nueva-clave-${uniq()}`;
  // A session opened with the old password, in another browser: the reset ends it.
  const elsewhere = await signIn(browser, customerAccount);
  await expect(elsewhere).toHaveURL(/\/portal$/);

  await page.goto("/login");
  await page.getByRole("link", { name: "¿Olvidó su contraseña?" }).click();
  await expect(page).toHaveURL(/\/recuperar$/);
  await page.getByLabel("Correo electrónico").fill(customerAccount.email);
  await page.getByRole("button", { name: "Enviar el enlace" }).click();
  await expect(page.getByRole("status")).toHaveText(`Si hay una cuenta con la dirección ${customerAccount.email}, le hemos enviado un enlace para elegir una contraseña nueva. Caduca en una hora; revise también la carpeta de correo no deseado.`);

  const mail = await waitForMail(customerAccount.email, SUBJECT);
  expect(mail.html || "").toContain("Elegir una contraseña nueva");
  const link = linkIn(mail, "restablecer");

  await page.goto(link);
  await expect(page.getByLabel("Correo electrónico")).toHaveValue(customerAccount.email);
  await page.getByLabel("Nueva contraseña", { exact: true }).fill("corta");
  await page.getByLabel("Repetir la nueva contraseña").fill("corta");
  await page.getByRole("button", { name: "Guardar la contraseña" }).click();
  await expect(page.getByText(/al menos 8 caracteres/i)).toBeVisible();
  await page.getByLabel("Nueva contraseña", { exact: true }).fill(newPassword);
  await page.getByLabel("Repetir la nueva contraseña").fill(newPassword);
  await page.getByRole("button", { name: "Guardar la contraseña" }).click();
  await expect(page).toHaveURL(/\/login\?restablecida=1$/);
  await expect(page.getByRole("status")).toHaveText("Su contraseña se ha cambiado y se han cerrado todas sus sesiones. Inicie sesión con la nueva.");

  // The new password signs in.
  await signInOn(page, { email: customerAccount.email, password: newPassword });
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { name: "Mis tickets" })).toBeVisible();

  // The session opened before the reset is over.
  await elsewhere.goto("/portal");
  await expect(elsewhere).toHaveURL(/\/login/);
  // The old password fails.
  await signInOn(elsewhere, customerAccount);
  await expect(elsewhere.getByRole("alert").filter({ hasText: "Correo o contraseña incorrectos." })).toBeVisible();
  await elsewhere.context().close();

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole("alert").filter({ hasText: "Este enlace ya se ha utilizado." })).toBeVisible();
  await expect(again.getByRole("link", { name: "Pedir otro enlace" })).toHaveAttribute("href", "/recuperar");
  await again.context().close();
});

test("an unknown address gets the very same answer, and no mail", async ({ page, customerAccount }) => {
  const unknown = `nadie.${uniq()}@e2e.test`;
  const answer = (email: string) => `Si hay una cuenta con la dirección ${email}, le hemos enviado un enlace para elegir una contraseña nueva. Caduca en una hora; revise también la carpeta de correo no deseado.`;
  for (const email of [unknown, customerAccount.email]) {
    await page.goto("/recuperar");
    await page.getByLabel("Correo electrónico").fill(email);
    await page.getByRole("button", { name: "Enviar el enlace" }).click();
    await expect(page.getByRole("status")).toHaveText(answer(email));
  }
  // By the time the known address's mail has arrived, the unknown one's request (asked first) is long done.
  await waitForMail(customerAccount.email, SUBJECT);
  const recipients = (await receivedMail()).flatMap((m) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address)));
  expect(recipients).not.toContain(unknown);
});
