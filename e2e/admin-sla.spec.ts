import { TZDate } from "@date-fns/tz";
import { addBusinessTime, SEED_WEEK, type BusinessCalendar } from "../src/server/modules/sla/business-hours";
import { closedDays } from "../src/server/modules/sla/holidays";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { openAdminPage } from "./support/admin";
import { signIn, signInOn } from "./support/sign-in";
import { uniq } from "./support/uniq";

const H = 3600_000;
const shortDateTime = (d: Date, timeZone: string) => new Intl.DateTimeFormat("es-ES", { dateStyle: "short", timeStyle: "short", timeZone }).format(d);
const pad = (n: number) => String(n).padStart(2, "0");

test("an admin changes the default first-response target and adds a closed day; a new ticket's expected answer follows both", async ({ browser, adminAccount, customerAccount }) => {
  const [cal] = await query<{ timeZone: string; holidayRegion: string | null }>(`SELECT "timeZone", "holidayRegion" FROM "BusinessCalendar" WHERE "isDefault"`);
  const [country, region] = cal!.holidayRegion ? cal!.holidayRegion.split("-") : [];
  const holidays = closedDays({ country, region });
  // The next open day after today (the support team's today): 10 business hours from any moment
  // reach into it, so closing it moves the answer later.
  const today = new TZDate(Date.now(), cal!.timeZone);
  let closed = "";
  for (let i = 1; !closed; i++) {
    const d = new TZDate(today.getFullYear(), today.getMonth(), today.getDate() + i, 12, 0, 0, 0, cal!.timeZone);
    const key = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    if ((SEED_WEEK[d.getDay()] ?? []).length > 0 && !holidays(key)) closed = key;
  }

  const admin = await signIn(browser, adminAccount);
  await openAdminPage(admin, "SLA");
  await expect(admin).toHaveURL(/\/admin\/sla$/);
  await expect(admin.getByRole("heading", { name: "SLA: horarios y políticas", level: 1 })).toBeVisible();

  const general = admin.getByRole("listitem", { name: "Política general" });
  await general.getByRole("button", { name: "Editar Política general" }).click();
  const form = admin.getByRole("form", { name: "Política general" });
  await expect(form.getByText("La política predeterminada se aplica a todo lo demás y no tiene condiciones.")).toBeVisible();
  await expect(form.getByLabel("Primera respuesta (horas)", { exact: true })).toHaveValue("24");
  // Bad input first: the server's message, in Spanish.
  await form.getByLabel("Primera respuesta (horas)", { exact: true }).fill("0");
  await form.getByRole("button", { name: "Guardar política" }).click();
  await expect(form.getByRole("alert")).toHaveText("Las horas deben ser un número mayor que cero.");
  await form.getByLabel("Primera respuesta (horas)", { exact: true }).fill("10");
  await expect(form.getByLabel("Primera respuesta (horas): contar en horas hábiles")).toBeChecked();
  await form.getByRole("button", { name: "Guardar política" }).click();
  await expect(admin.getByRole("status")).toHaveText("Cambios guardados.");
  await expect(general.getByText("10 h hábiles").first()).toBeVisible();

  const calendar = admin.getByRole("region", { name: /Horario de soporte/ });
  await expect(calendar.getByLabel("Zona horaria")).toHaveValue(cal!.timeZone);
  await expect(calendar.getByRole("group", { name: "Franja 1 del lunes" }).getByLabel("Desde")).toHaveValue("08:00");
  await expect(calendar.getByRole("group", { name: "Franja 1 del lunes" }).getByLabel("Hasta")).toHaveValue("17:00");
  const ownDays = calendar.getByRole("form", { name: "Añadir día cerrado" });
  await ownDays.getByLabel("Fecha").fill(closed);
  await ownDays.getByLabel("Motivo").fill(`Inventario ${uniq()}`);
  await ownDays.getByRole("button", { name: "Añadir día cerrado" }).click();
  await expect(calendar.getByRole("button", { name: `Quitar ${closed}` })).toBeVisible();

  const context = await browser.newContext({ timezoneId: cal!.timeZone });
  const customer = await context.newPage();
  await signInOn(customer, customerAccount);
  await expect(customer).toHaveURL(/\/portal$/);
  const subject = `Consulta de horario ${uniq()}`;
  await customer.getByRole("link", { name: "Agregar ticket" }).click();
  await customer.getByLabel("Asunto").fill(subject);
  await customer.getByLabel("Descripción").fill("¿Cuándo me responderán?");
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await customer.getByRole("button", { name: "Continuar" }).click();
  await customer.getByRole("button", { name: "Enviar" }).click();
  await expect(customer.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();

  const [row] = await query<{ created: string }>(`SELECT to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created FROM "Ticket" WHERE subject = $1`, [subject]);
  const createdAt = new Date(row!.created);
  const withDay: BusinessCalendar = { timeZone: cal!.timeZone, week: SEED_WEEK, isClosedDay: (d) => d === closed || holidays(d) };
  const expected = addBusinessTime(withDay, createdAt, 10 * H);
  expect(expected.getTime()).toBeGreaterThan(addBusinessTime({ ...withDay, isClosedDay: holidays }, createdAt, 10 * H).getTime());
  await expect(customer.getByTestId("expected-answer")).toHaveText(shortDateTime(expected, cal!.timeZone));
  await context.close();

  // Back as it was, for the other tests of this run.
  await calendar.getByRole("button", { name: `Quitar ${closed}` }).click();
  await expect(calendar.getByRole("button", { name: `Quitar ${closed}` })).toHaveCount(0);
  await general.getByRole("button", { name: "Editar Política general" }).click();
  await form.getByLabel("Primera respuesta (horas)", { exact: true }).fill("24");
  await form.getByRole("button", { name: "Guardar política" }).click();
  await expect(general.getByText("24 h hábiles").first()).toBeVisible();
});
