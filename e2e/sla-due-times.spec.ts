import { expect, test } from "./support/fixtures";
import { query } from "./support/db";
import { signInOn } from "./support/sign-in";
import { uniq } from "./support/uniq";

const shortDateTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("es-ES", { dateStyle: "short", timeStyle: "short", timeZone }).format(new Date(iso));

test("a customer in Mexico City sees when to expect an answer, in their own time", async ({ browser, customerAccount }) => {
  const context = await browser.newContext({ timezoneId: "America/Mexico_City" });
  const customer = await context.newPage();
  await signInOn(customer, customerAccount);
  await expect(customer).toHaveURL(/\/portal$/);
  const subject = `No llegan las facturas ${uniq()}`;
  await customer.getByRole("link", { name: "Agregar ticket" }).click();
  await customer.getByLabel("Asunto").fill(subject);
  await customer.getByLabel("Descripción").fill("Desde el lunes no recibimos las facturas por correo.");
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await customer.getByRole("button", { name: "Continuar" }).click();
  await customer.getByRole("button", { name: "Enviar" }).click();
  await expect(customer.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();

  // What the app stored (UTC), shown in the browser's zone: the support team's hours are Madrid's.
  const [due] = await query<{ first: string; resolution: string }>(
    `SELECT to_char("firstResponseDueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first, to_char("resolutionDueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS resolution
     FROM "Ticket" WHERE subject = $1`,
    [subject],
  );
  await expect(customer.getByTestId("expected-answer")).toHaveText(shortDateTime(due!.first, "America/Mexico_City"));
  await expect(customer.getByTestId("expected-resolution")).toHaveText(shortDateTime(due!.resolution, "America/Mexico_City"));
  await context.close();
});
