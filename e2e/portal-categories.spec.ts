import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { openAdminPage } from "./support/admin";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

/**
 * Issue 14 (2, 3): an admin gives a category its own fields; a customer starts a ticket with that
 * category (seed 004), fills its fields (errors beside each field, gone once fixed), checks the summary,
 * sends, and finds the values on the ticket; the agent sees and edits them.
 */
test("a category's own fields, from the admin pages to the customer's ticket and the agent's editor", async ({ browser, adminAccount, customerAccount, agentAccount }) => {
  const tag = uniq();
  const categoryEs = `Garantías ${tag}`;

  // The admin creates the category and its two fields.
  const admin = await signIn(browser, adminAccount);
  await openAdminPage(admin, "Categorías");
  await expect(admin.getByRole("heading", { name: "Categorías", level: 1 })).toBeVisible();
  const newCategory = admin.getByRole("form", { name: "Nueva categoría" });
  await newCategory.getByLabel("Nombre (español)").fill(categoryEs);
  await newCategory.getByLabel("Nombre (inglés)").fill(`Warranties ${tag}`);
  await newCategory.getByRole("button", { name: "Crear" }).click();
  await admin.getByRole("link", { name: `Campos de ${categoryEs}` }).click();
  await expect(admin.getByRole("heading", { name: `Campos de «${categoryEs}»` })).toBeVisible();

  const newField = admin.getByRole("form", { name: "Nuevo campo" });
  await newField.getByLabel("Etiqueta (español)").fill("Tipo de equipo");
  await newField.getByLabel("Etiqueta (inglés)").fill("Device type");
  await newField.getByRole("combobox", { name: /^Tipo/ }).selectOption({ label: "Lista desplegable" });
  await newField.getByLabel("Obligatorio").check();
  await newField.getByLabel("Ayuda (español)").fill("Elija el equipo que falla.");
  await newField.getByLabel("Ayuda (inglés)").fill("Pick the failing device.");
  await newField.getByLabel("Opción 1 (español)").fill("Impresora");
  await newField.getByLabel("Opción 1 (inglés)").fill("Printer");
  await newField.getByRole("button", { name: "Añadir opción" }).click();
  await newField.getByLabel("Opción 2 (español)").fill("Portátil");
  await newField.getByLabel("Opción 2 (inglés)").fill("Laptop");
  await newField.getByRole("button", { name: "Crear" }).click();
  await expect(admin.getByRole("row").filter({ hasText: "Tipo de equipo" })).toBeVisible();
  await newField.getByLabel("Etiqueta (español)").fill("Modelo del equipo");
  await newField.getByLabel("Etiqueta (inglés)").fill("Device model");
  await newField.getByRole("button", { name: "Crear" }).click();
  await expect(admin.getByRole("row").filter({ hasText: "Modelo del equipo" })).toBeVisible();
  await expect(admin.getByRole("row").filter({ hasText: "Tipo de equipo" })).toContainText("Obligatorio");

  // The customer starts with the category and gets its fields.
  const customer = await signIn(browser, customerAccount);
  await customer.getByRole("link", { name: "Agregar ticket" }).click();
  await customer.getByLabel("Categoría").selectOption({ label: categoryEs });
  const kind = customer.getByLabel("Tipo de equipo");
  await expect(kind).toHaveAttribute("aria-required", "true");
  await expect(kind).toHaveAccessibleDescription(/Elija el equipo que falla\./);
  await expect(customer.getByText("Tipo de equipo *")).toBeVisible();
  await expect(customer.getByLabel("Modelo del equipo")).not.toHaveAttribute("aria-required", "true");
  // Priorities in seed 000's words.
  await expect(customer.getByRole("radio", { name: "Alta" })).toHaveAccessibleDescription(/Detiene totalmente su trabajo/);
  await expect(customer.getByRole("radio", { name: "Baja" })).toHaveAccessibleDescription(/No detiene su trabajo/);

  // Nothing filled in: each error once, beside its field; each goes once the field is fixed.
  await customer.getByRole("button", { name: "Continuar" }).click();
  const subjectError = customer.getByText("El asunto es obligatorio.");
  const kindError = customer.getByText("Complete «Tipo de equipo»: es obligatorio.");
  await expect(subjectError).toHaveCount(1);
  await expect(kindError).toHaveCount(1);
  await expect(kind).toHaveAttribute("aria-invalid", "true");
  const subject = `La impresora imprime en blanco ${tag}`;
  await customer.getByLabel("Asunto").fill(subject);
  await expect(subjectError).toHaveCount(0);
  await expect(kindError).toHaveCount(1);
  await customer.getByLabel("Descripción").fill("Las hojas salen sin tinta desde ayer.");
  await kind.selectOption({ label: "Impresora" });
  await expect(kindError).toHaveCount(0);
  await customer.getByLabel("Modelo del equipo").fill("LX-300");
  await customer.getByRole("radio", { name: "Alta" }).check();
  await customer.getByRole("button", { name: "Continuar" }).click();

  // The summary shows exactly what will be sent; "Editar" keeps what was typed.
  const summary = customer.getByRole("region", { name: "Revise su ticket antes de enviarlo" });
  await expect(summary).toBeVisible();
  for (const text of [categoryEs, "Impresora", "LX-300", subject, "Las hojas salen sin tinta desde ayer.", "Alta"]) await expect(summary).toContainText(text);
  await summary.getByRole("button", { name: "Editar" }).click();
  await expect(customer.getByLabel("Modelo del equipo")).toHaveValue("LX-300");
  await customer.getByLabel("Modelo del equipo").fill("LX-350");
  await customer.getByRole("button", { name: "Continuar" }).click();
  await expect(summary).toContainText("LX-350");
  await summary.getByRole("button", { name: "Enviar" }).click();

  // The new ticket's page, with the values.
  const heading = customer.getByRole("heading", { name: new RegExp(subject) });
  await expect(heading).toBeVisible();
  const number = Number((await heading.textContent())!.match(/#(\d+)/)![1]);
  const values = customer.getByRole("region", { name: "Campos personalizados" });
  await expect(values).toContainText("Impresora");
  await expect(values).toContainText("LX-350");

  // The agent sees the same fields and changes one.
  const agent = await signIn(browser, agentAccount);
  await agent.goto(`/agent/tickets/${number}`);
  const editor = agent.getByRole("form", { name: "Campos personalizados" });
  await expect(editor.getByLabel("Tipo de equipo")).toHaveValue("impresora");
  await expect(editor.getByLabel("Modelo del equipo")).toHaveValue("LX-350");
  await editor.getByLabel("Tipo de equipo").selectOption({ label: "Portátil" });
  await editor.getByRole("button", { name: "Guardar campos" }).click();
  await expect(editor.getByText("Campos guardados.")).toBeVisible();
  await customer.reload();
  await expect(customer.getByRole("region", { name: "Campos personalizados" })).toContainText("Portátil");
});

test("the product lookup offers what the customer types, on a category that asks for products", async ({ browser, adminAccount, customerAccount }) => {
  const tag = uniq();
  const admin = await signIn(browser, adminAccount);
  await admin.goto("/admin/productos");
  const newProduct = admin.getByRole("form", { name: "Nuevo producto" });
  await newProduct.getByLabel("Nombre del producto").fill(`Plotter Zeta ${tag}`);
  await newProduct.getByRole("button", { name: "Crear" }).click();
  await expect(admin.getByRole("cell", { name: `Plotter Zeta ${tag}`, exact: true })).toBeVisible();
  // The category asks for the product (its admin form is the first test's; written here directly to keep this one short).
  await query(`INSERT INTO "Category" (id, slug, "nameEs", "nameEn", "usesProducts") VALUES ($1, $1, $2, $3, true)`, [`e2e-equipos-${tag}`, `Equipos ${tag}`, `Devices ${tag}`]);

  const customer = await signIn(browser, customerAccount);
  await customer.goto("/portal/tickets/new");
  await customer.getByLabel("Categoría").selectOption({ label: `Equipos ${tag}` });
  const lookup = customer.getByRole("combobox", { name: "Producto" });
  await lookup.pressSequentially(`zeta ${tag}`.slice(0, 12), { delay: 30 });
  await customer.getByRole("option", { name: `Plotter Zeta ${tag}` }).click();
  await expect(lookup).toHaveValue(`Plotter Zeta ${tag}`);
  // «Quitar producto» empties the lookup; typing over a chosen product un-chooses it (the button goes).
  await customer.getByRole("button", { name: "Quitar producto" }).click();
  await expect(lookup).toHaveValue("");
  await lookup.pressSequentially(`plotter zeta ${tag}`);
  await customer.getByRole("option", { name: `Plotter Zeta ${tag}` }).click();
  await expect(customer.getByRole("button", { name: "Quitar producto" })).toBeVisible();
  await lookup.press("End");
  await lookup.pressSequentially("x");
  await expect(lookup).toHaveValue(`Plotter Zeta ${tag}x`);
  await expect(customer.getByRole("button", { name: "Quitar producto" })).toHaveCount(0);
  await lookup.press("Backspace");
  await customer.getByRole("option", { name: `Plotter Zeta ${tag}` }).click();
  await expect(lookup).toHaveValue(`Plotter Zeta ${tag}`);
  const subject = `El plotter no corta ${tag}`;
  await customer.getByLabel("Asunto").fill(subject);
  await customer.getByLabel("Descripción").fill("Se detiene a mitad del corte.");
  await customer.getByRole("button", { name: "Continuar" }).click();
  const summary = customer.getByRole("region", { name: "Revise su ticket antes de enviarlo" });
  await expect(summary).toContainText(`Plotter Zeta ${tag}`);
  await summary.getByRole("button", { name: "Enviar" }).click();
  await expect(customer.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();
  await expect(customer.locator("dl.meta")).toContainText(`Plotter Zeta ${tag}`);
});
