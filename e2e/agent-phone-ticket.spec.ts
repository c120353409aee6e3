import { expect, test } from "./support/fixtures";
import { openAdminPage } from "./support/admin";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

test("an agent opens a phone ticket for a customer's new address", async ({ browser, agentAccount }) => {
  const customer = `telefono-${uniq()}@ejemplo.test`;
  const subject = `No puedo imprimir ${uniq()}`;

  const agent = await signIn(browser, agentAccount);
  await expect(agent).toHaveURL(/\/agent$/);
  await agent.getByRole("link", { name: "Nuevo ticket" }).click();
  await expect(agent).toHaveURL(/\/agent\/tickets\/new$/);

  await agent.getByLabel("Correo del cliente").fill(customer);
  await agent.getByLabel("Asunto").fill(subject);
  await agent.getByLabel("Descripción").fill("El cliente llamó: la impresora de la planta baja no responde.");
  await agent.getByRole("radio", { name: "Alta" }).check();
  await agent.getByLabel("Categoría").selectOption({ label: "Software" });
  await agent.getByRole("button", { name: "Crear ticket" }).click();

  await expect(agent).toHaveURL(/\/agent\/tickets\/\d+$/);
  await expect(agent.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();
  await expect(agent.getByTestId("ticket-channel")).toHaveText("Teléfono");
  await expect(agent.locator("dl.meta")).toContainText(customer);
  await expect(agent.getByTestId("ticket-status")).toHaveText("Abierto");
});

test("an admin saves a synonym group and it is kept", async ({ browser, adminAccount }) => {
  const group = "impresora, printer, plotter";
  const admin = await signIn(browser, adminAccount);
  await openAdminPage(admin, "Sinónimos");
  await expect(admin).toHaveURL(/\/admin\/kb\/sinonimos$/);

  const main = admin.getByRole("main");
  await expect(main.getByLabel("Idioma")).toHaveValue("es");
  const field = main.getByLabel("Sinónimos (un grupo por línea, palabras separadas por comas)");
  await expect(field).toBeVisible();
  // Saving replaces the language's groups: keep whatever is already there and add ours.
  const before = await field.inputValue();
  const kept = before.split("\n").filter((l) => l.trim() && l.trim() !== group);
  await field.fill([...kept, group].join("\n"));
  await main.getByRole("button", { name: "Guardar" }).click();
  await expect(main.getByRole("status")).toHaveText("Sinónimos guardados");

  await admin.reload();
  const reloaded = admin.getByRole("main").getByLabel("Sinónimos (un grupo por línea, palabras separadas por comas)");
  await expect(reloaded).toHaveValue(new RegExp(`(^|\\n)${group}($|\\n)`));
  for (const line of kept) await expect(reloaded).toHaveValue(new RegExp(line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));

  // The other language's groups are separate.
  await admin.getByRole("main").getByLabel("Idioma").selectOption("en");
  await expect(admin.getByRole("main").getByLabel("Sinónimos (un grupo por línea, palabras separadas por comas)")).not.toHaveValue(new RegExp(group));
});

test("an agent reclassifies a ticket: priority and category change, each in the history", async ({ browser, agentAccount }) => {
  const customer = `reclasifica-${uniq()}@ejemplo.test`;
  const subject = `Pantalla en negro ${uniq()}`;
  const agent = await signIn(browser, agentAccount);
  await agent.getByRole("link", { name: "Nuevo ticket" }).click();
  await agent.getByLabel("Correo del cliente").fill(customer);
  await agent.getByLabel("Asunto").fill(subject);
  await agent.getByLabel("Descripción").fill("El cliente llamó: el monitor no enciende.");
  await agent.getByRole("button", { name: "Crear ticket" }).click();
  await expect(agent).toHaveURL(/\/agent\/tickets\/\d+$/);

  await agent.getByLabel("Cambiar prioridad").selectOption({ label: "Alta" });
  await expect(agent.getByText("Prioridad: Media → Alta")).toBeVisible();
  await agent.getByLabel("Cambiar categoría").selectOption({ label: "Hardware" });
  await expect(agent.getByText("Categoría: — → Hardware")).toBeVisible();
  await expect(agent.locator("dl.meta")).toContainText("Alta");
});
