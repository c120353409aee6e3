import { expect, test } from "./support/fixtures";
import { openAdminPage } from "./support/admin";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

test("an admin adds an IMAP mailbox with the form, sees it in the table, edits, tests and deactivates it, and deletes it", async ({ browser, adminAccount }) => {
  const name = `Soporte Gmail ${uniq()}`;
  const password = `clave-${uniq()}-secreta`;
  const page = await signIn(browser, adminAccount);

  await openAdminPage(page, "Buzones IMAP");
  await expect(page).toHaveURL(/\/admin\/buzones-imap$/);
  await expect(page.getByRole("heading", { name: "Buzones IMAP", level: 1 })).toBeVisible();
  // (Next.js adds a route announcer, role=alert, outside <main>.)
  const main = page.getByRole("main");
  // The list, fetched by the page itself, shows once React runs it: text typed into the server-rendered
  // form before then is on screen but never reaches React's state (a loaded CPU makes that window wide).
  const list = main.getByRole("table", { name: "Buzones configurados" });
  await expect(main.getByText("Todavía no hay ningún buzón IMAP.").or(list.getByRole("row").nth(1))).toBeVisible();

  // The add form, with the usual defaults: port 993 with TLS, the INBOX folder, no move, active.
  const form = page.getByRole("region", { name: "Añadir un buzón" });
  await expect(form.getByLabel("Puerto")).toHaveValue("993");
  await expect(form.getByLabel("Usar TLS (SSL)")).toBeChecked();
  await expect(form.getByLabel("Carpeta", { exact: true })).toHaveValue("INBOX");
  await expect(form.getByLabel("Mover a carpeta (opcional)")).toHaveValue("");
  await expect(form.getByLabel("Activo (consultar este buzón)")).toBeChecked();

  await form.getByLabel("Nombre").fill(name);
  await form.getByLabel("Servidor IMAP").fill("imap://imap.ejemplo.test");
  await form.getByLabel("Usuario").fill("soporte@ejemplo.test");
  await form.getByLabel("Contraseña").fill(password);
  await form.getByLabel("Mover a carpeta (opcional)").fill("Procesados");
  // Bad input: the server's message in Spanish, next to the field too, and nothing is added.
  await form.getByRole("button", { name: "Añadir buzón" }).click();
  const hostError = "El servidor IMAP debe ser un nombre como imap.ejemplo.com o una dirección IP, sin «imap://» ni puerto.";
  await expect(form.getByRole("alert")).toHaveText(hostError);
  await expect(form.getByLabel("Servidor IMAP")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Servidor IMAP")).toHaveAccessibleDescription(new RegExp(hostError.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);

  await form.getByLabel("Servidor IMAP").fill("imap.ejemplo.test");
  await form.getByRole("button", { name: "Añadir buzón" }).click();
  await expect(main.getByRole("status")).toHaveText(`Buzón «${name}» añadido.`);
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").nth(0)).toHaveText("soporte@ejemplo.test@imap.ejemplo.test:993 (TLS)");
  await expect(row).toContainText("INBOX");
  await expect(row).toContainText("después a «Procesados»");
  await expect(row).toContainText("Activo");
  // The form is empty again for the next one, and the password is nowhere on the page.
  await expect(form.getByLabel("Nombre")).toHaveValue("");
  await expect(form.getByLabel("Contraseña")).toHaveValue("");
  expect(await page.content()).not.toContain(password);

  // Deactivated: the workers stop polling it.
  await row.getByRole("button", { name: "Desactivar" }).click();
  await expect(main.getByRole("status")).toHaveText(`Buzón «${name}» desactivado: ya no se consulta.`);
  await expect(row).toContainText("Inactivo");
  await expect(row.getByRole("button", { name: "Activar" })).toBeVisible();

  // Edited: a new server needs the password typed again (the form never receives the stored one).
  await row.getByRole("button", { name: "Editar" }).click();
  const edit = page.getByRole("region", { name: `Editar el buzón «${name}»` });
  await expect(edit.getByLabel("Nombre")).toBeFocused();
  await expect(edit.getByLabel("Contraseña")).toHaveValue("");
  await expect(edit.getByLabel("Contraseña")).toHaveAccessibleDescription("Déjela vacía para conservar la contraseña guardada.");
  await edit.getByLabel("Servidor IMAP").fill("127.0.0.1");
  await edit.getByLabel("Usar TLS (SSL)").uncheck();
  await expect(edit.getByLabel("Puerto")).toHaveValue("143");
  await edit.getByLabel("Puerto").fill("1");
  await edit.getByRole("button", { name: "Guardar cambios" }).click();
  await expect(edit.getByRole("alert")).toHaveText("Al cambiar el servidor o el usuario, escriba de nuevo la contraseña.");
  await expect(row.getByRole("cell").nth(0)).toHaveText("soporte@ejemplo.test@imap.ejemplo.test:993 (TLS)");
  await edit.getByLabel("Contraseña").fill(password);
  await edit.getByRole("button", { name: "Guardar cambios" }).click();
  await expect(main.getByRole("status")).toHaveText(`Buzón «${name}» guardado.`);
  await expect(row.getByRole("cell").nth(0)).toHaveText("soporte@ejemplo.test@127.0.0.1:1");

  // "Probar conexión" on the row: nothing listens on port 1, and the admin is told so.
  await row.getByRole("button", { name: "Probar conexión" }).click();
  await expect(main.getByRole("alert")).toHaveText(`${name}: 127.0.0.1 rechazó la conexión al puerto 1: compruebe el puerto. (connect ECONNREFUSED 127.0.0.1:1)`);

  // Deleted, after a confirmation.
  await row.getByRole("button", { name: "Eliminar" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(`¿Eliminar el buzón «${name}»?`);
  await confirm.getByRole("button", { name: "Sí, eliminar" }).click();
  await expect(main.getByRole("status")).toHaveText(`Buzón «${name}» eliminado.`);
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Buzones IMAP", level: 1 })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
});
