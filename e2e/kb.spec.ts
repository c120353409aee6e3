import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

/** An agent writes and publishes an article from the editor, as a person would; returns its editor URL. */
async function publishArticle(agent: Page, a: { title: string; body: string; tags: string; category: string }): Promise<string> {
  await agent.goto("/agent");
  await agent.getByRole("navigation").getByRole("link", { name: "Base de conocimientos", exact: true }).click();
  await expect(agent.getByRole("heading", { name: "Artículos de la base de conocimientos" })).toBeVisible();
  await agent.getByRole("link", { name: "Nuevo artículo" }).click();
  await expect(agent.getByRole("heading", { name: "Nuevo artículo" })).toBeVisible();
  await agent.getByLabel("Título").fill(a.title);
  await agent.getByLabel("Contenido (Markdown)").fill(a.body);
  await agent.getByLabel("Etiquetas").fill(a.tags);
  await agent.getByLabel("Categoría").selectOption({ label: a.category });
  // (The header's language picker is also labelled "Idioma".)
  await expect(agent.getByRole("main").getByLabel("Idioma")).toHaveValue("es");
  await agent.getByRole("button", { name: "Publicar" }).click();
  await expect(agent).toHaveURL(/\/agent\/kb\/[^/]+$/);
  await expect(agent.getByRole("heading", { name: "Editar artículo" })).toBeVisible();
  await expect(agent.getByRole("main").getByText("Publicado", { exact: true })).toBeVisible();
  return agent.url();
}

/** Searches from the public search page until the index (built by the workers) has caught up. */
async function expectFound(page: Page, q: string, title: string) {
  await expect
    .poll(
      async () => {
        await page.goto(`/kb/search?q=${encodeURIComponent(q)}`);
        return page.getByRole("link", { name: title, exact: true }).count();
      },
      { timeout: 30_000, intervals: [250, 500, 1000] },
    )
    .toBe(1);
}

test("an agent's article is found without accents, rated by a visitor, and the rating reaches the agent's stats", async ({ browser, agentAccount }) => {
  const title = `Sincronización del correo en el teléfono móvil ${uniq()}`;
  const agent = await signIn(browser, agentAccount);
  const editorUrl = await publishArticle(agent, {
    title,
    body: "## Pasos\n\n1. Abra **Ajustes** en el teléfono.\n2. Pulse *Cuentas* y elija «Añadir cuenta».\n3. Escriba su dirección y su contraseña.\n\nSi la sincronización sigue fallando, reinicie el teléfono.",
    tags: "correo, móvil",
    category: "Aplicaciones",
  });
  // The preview beside the Markdown shows what readers will see.
  const preview = agent.getByRole("region", { name: "Vista previa" });
  await expect(preview.getByRole("heading", { name: "Pasos" })).toBeVisible();
  await expect(preview.getByRole("listitem")).toHaveCount(3);
  const history = agent.getByRole("region", { name: "Historial de versiones" });
  await expect(history.getByRole("row")).toHaveCount(2); // header + the first version
  await expect(history.getByRole("row").nth(1)).toContainText(agentAccount.name);

  // A signed-out visitor finds the knowledge base from the header and searches without the accent.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/login");
  await visitor.getByRole("navigation").getByRole("link", { name: "Base de conocimientos" }).click();
  await expect(visitor).toHaveURL(/\/kb$/);
  await expect(visitor.getByRole("heading", { name: "Base de conocimientos", level: 1 })).toBeVisible();
  await visitor.getByLabel("Buscar en la base de conocimientos").fill("sincronizacion");
  await visitor.getByRole("button", { name: "Buscar" }).click();
  await expect(visitor).toHaveURL(/\/kb\/search\?q=sincronizacion/);
  await expectFound(visitor, "sincronizacion", title);
  const result = visitor.getByRole("listitem").filter({ has: visitor.getByRole("link", { name: title, exact: true }) });
  // The snippet marks the word found, accent or not.
  await expect(result.locator("mark").first()).toHaveText(/^sincronizaci[oó]n$/i);
  await expect(result.getByRole("link", { name: "Aplicaciones" })).toBeVisible();
  await expect(result).toContainText("Etiquetas: correo, móvil");

  await visitor.getByRole("link", { name: title, exact: true }).click();
  await expect(visitor.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(visitor.getByRole("article").getByRole("heading", { name: "Pasos" })).toBeVisible();
  await expect(visitor.getByRole("article").getByRole("listitem").filter({ hasText: "Abra Ajustes en el teléfono." })).toBeVisible();
  await expect(visitor.getByRole("list", { name: "Etiquetas" })).toContainText("móvil");

  // Seed 002: a "No" needs a reason.
  await expect(visitor.getByText("¿Le ha sido útil este artículo?")).toBeVisible();
  await visitor.getByRole("button", { name: "No", exact: true }).click();
  await expect(visitor.getByText("¡Sentimos mucho no haber sido de ayuda!")).toBeVisible();
  await expect(visitor.getByText("¡Háganos saber cómo podemos mejorar este artículo!")).toBeVisible();
  for (const reason of ["No resolvió mi problema", "Difícil de entender", "Desactualizado", "Otro"]) await expect(visitor.getByLabel(reason)).not.toBeChecked();
  await visitor.getByRole("button", { name: "Enviar" }).click();
  await expect(visitor.getByRole("alert").filter({ hasText: "Seleccione al menos una de las razones" })).toBeVisible();
  await visitor.getByLabel("Desactualizado").check();
  await visitor.getByLabel("Comentario").fill("Los menús del teléfono ya no se llaman así.");
  await visitor.getByRole("button", { name: "Enviar" }).click();
  await expect(visitor.getByText("Sus comentarios se han enviado")).toBeVisible();
  await expect(visitor.getByText("Agradecemos su esfuerzo e intentaremos corregir el artículo")).toBeVisible();

  // The same browser cannot vote twice on the article: the server says so, in Spanish.
  await visitor.reload();
  await visitor.getByRole("button", { name: "Sí", exact: true }).click();
  await expect(visitor.getByRole("alert").filter({ hasText: "Ya ha valorado este artículo. ¡Gracias!" })).toBeVisible();

  // The agent edits the article with a new word; searching for that word finds it.
  await agent.goto(editorUrl);
  const body = agent.getByLabel("Contenido (Markdown)");
  await body.fill(`${await body.inputValue()}\n\nEn una tableta los pasos son los mismos.`);
  await agent.getByRole("button", { name: "Guardar" }).click();
  await expect(agent.getByRole("status").filter({ hasText: "Cambios guardados." })).toBeVisible();
  await expect(history.getByRole("row")).toHaveCount(3);
  await expectFound(visitor, "tableta", title);
  // The snippet is HTML: the matched word is marked, not shown as "<mark>" text.
  await expect(result.locator("mark")).toHaveText(["tableta"]);
  await expect(result).not.toContainText("<mark>");

  // The agent sees the visit and the vote, with its reason, in the list's statistics.
  await agent.getByRole("link", { name: "Volver a los artículos" }).click();
  const row = agent.getByRole("row").filter({ has: agent.getByRole("link", { name: title, exact: true }) });
  const cells = row.getByRole("cell");
  await expect(cells.nth(1)).toHaveText("Español");
  await expect(cells.nth(2)).toHaveText("Publicado");
  await expect(cells.nth(3)).not.toHaveText("0");
  await expect(cells.nth(4)).toHaveText("0");
  await expect(cells.nth(5)).toHaveText("1");
  await expect(cells.nth(6)).toHaveText("0 %");
  await expect(cells.nth(7)).toHaveText("Desactualizado: 1");
});

test("a customer typing a subject is offered matching articles; an agent inserts one into a reply", async ({ browser, agentAccount, customerAccount }) => {
  const title = `Cómo conectar la impresora de recepción a la red ${uniq()}`;
  const subject = `La impresora no imprime ${uniq()}`;
  const agent = await signIn(browser, agentAccount);
  await publishArticle(agent, {
    title,
    body: "1. Encienda la impresora.\n2. En su panel, elija **Red** y después **Wi-Fi**.\n3. Imprima una página de prueba.",
    tags: "impresora, red",
    category: "Equipos e impresoras",
  });
  await expectFound(await (await browser.newContext()).newPage(), "impresora", title);

  const customer = await signIn(browser, customerAccount);
  await expect(customer.getByRole("main").getByRole("link", { name: "base de conocimientos", exact: true })).toHaveAttribute("href", "/kb");
  await customer.getByRole("link", { name: "Agregar ticket" }).click();
  await customer.getByLabel("Asunto").pressSequentially("La impresora no imprime", { delay: 20 });
  const suggestions = customer.getByRole("region", { name: "Artículos que pueden ayudarle" });
  await expect(suggestions).toBeVisible();
  const link = suggestions.getByRole("link", { name: title });
  await expect(link).toHaveAttribute("target", "_blank");
  const [tab] = await Promise.all([customer.context().waitForEvent("page"), link.click()]);
  await expect(tab.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await tab.close();
  // Sent with a subject of its own, so the agent finds this very ticket in the shared queue.
  await customer.getByLabel("Asunto").fill(subject);
  await customer.getByLabel("Descripción").fill("La impresora de recepción muestra «Error 50.4».");
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await customer.getByRole("button", { name: "Continuar" }).click();
  await customer.getByRole("button", { name: "Enviar" }).click();
  await expect(customer.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();

  // In the reply form of that ticket, the agent finds the article and adds its public address.
  await agent.goto("/agent");
  await agent.getByRole("link", { name: subject }).click();
  await agent.getByLabel("Respuesta").fill("Hola Carla, siga estos pasos:");
  await agent.getByLabel("Insertar artículo").fill("impresora");
  await agent.getByRole("button", { name: `Insertar «${title}»` }).click();
  await expect(agent.getByLabel("Respuesta")).toHaveValue(new RegExp(`^Hola Carla, siga estos pasos:\\n${process.env.E2E_BASE_URL}/kb/[a-z0-9-]+\\?lang=es$`));
});

test("a long article still previews beside the Markdown (its text is too long for a URL)", async ({ browser, agentAccount }) => {
  const agent = await signIn(browser, agentAccount);
  await agent.goto("/agent/kb/new");
  const paragraph = "La configuración de la impresión en dúplex se cambia desde el menú «Preferencias», sección «Papel». ";
  await agent.getByLabel("Contenido (Markdown)").fill(`${paragraph.repeat(300)}\n\nÚltimo párrafo: fin de la guía.`);
  await expect(agent.getByRole("region", { name: "Vista previa" }).getByText("Último párrafo: fin de la guía.")).toBeVisible();
});

test("a translation is written from the original and each language's page links to the other", async ({ browser, agentAccount }) => {
  const title = `Cambiar la contraseña del portal ${uniq()}`;
  const agent = await signIn(browser, agentAccount);
  await publishArticle(agent, { title, body: "1. Abra **Mi perfil**.\n2. Elija una contraseña nueva.", tags: "contraseña", category: "Cuentas y accesos" });
  await agent.getByRole("link", { name: "Crear la traducción al inglés" }).click();
  await expect(agent.getByText(`Traducción de «${title}»`)).toBeVisible();
  await expect(agent.getByRole("main").getByLabel("Idioma")).toHaveValue("en");
  const english = `Change your portal password ${uniq()}`;
  await agent.getByLabel("Título").fill(english);
  await agent.getByLabel("Contenido (Markdown)").fill("1. Open **My profile**.\n2. Choose a new password.");
  await agent.getByRole("button", { name: "Publicar" }).click();
  await expect(agent.getByRole("heading", { name: "Editar artículo" })).toBeVisible();
  await expect(agent.getByRole("main").getByLabel("Idioma")).toBeDisabled();

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/kb");
  await visitor.getByRole("link", { name: title }).click();
  await expect(visitor.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await visitor.getByRole("link", { name: `English: ${english}` }).click();
  await expect(visitor).toHaveURL(/\?lang=en$/);
  await expect(visitor.getByRole("heading", { name: english, level: 1 })).toBeVisible();
  await expect(visitor.getByRole("article")).toHaveAttribute("lang", "en");
  await visitor.getByRole("link", { name: `Español: ${title}` }).click();
  await expect(visitor.getByRole("heading", { name: title, level: 1 })).toBeVisible();

  // A missing (or unpublished) article is a real 404, said in the reader's language.
  const missing = await visitor.goto("/kb/no-existe-este-articulo");
  expect(missing?.status()).toBe(404);
  await expect(visitor.getByRole("heading", { name: "El artículo no existe o no está publicado." })).toBeVisible();
});
