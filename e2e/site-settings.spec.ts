import { openAdminPage } from "./support/admin";
import { expect, test } from "./support/fixtures";
import { waitForMail } from "./support/mail-links";
import { signIn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";

// Issue 16 item 3: an admin edits the Spanish agent-reply mail, previews it, a real reply mail (SMTP)
// uses it, and the audit log shows the change and filters it. The subject stays the built-in one and
// the body keeps the built-in text under the admin's first line, so other specs' reply mails read as
// before while this one runs.
test("an admin's agent-reply template is previewed, used by a real reply mail, and shown in the audit log", async ({ browser, adminAccount, agentAccount, customerAccount }) => {
  test.setTimeout(180_000);
  const tag = uniq();
  const line = `Gracias por su paciencia ${tag}, {{requester.name}}.`;
  const admin = await signIn(browser, adminAccount);
  await openAdminPage(admin, "Plantillas de correo");
  await expect(admin.getByRole("heading", { name: "Plantillas de correo" })).toBeVisible();
  await admin.getByRole("combobox", { name: "Correo", exact: true }).selectOption({ label: "Respuesta de un agente" });
  await admin.getByRole("combobox", { name: "Idioma del correo" }).selectOption({ label: "Español" });
  const body = admin.getByLabel("Cuerpo");
  await expect(body).toHaveValue(/\{\{message\}\}/);
  await expect(admin.getByRole("listitem").filter({ hasText: "{{requester.name}}" })).toBeVisible();

  // An unknown placeholder is refused with a clear message, and nothing is saved.
  const original = await body.inputValue();
  await body.fill(`{{ticket.numero}}\n\n${original}`);
  await admin.getByRole("button", { name: "Guardar la plantilla" }).click();
  await expect(admin.getByRole("main").getByRole("alert")).toHaveText("El marcador {{ticket.numero}} no existe en este correo. Use uno de la lista de marcadores.");

  await body.fill(`${line}\n\n${original}`);
  await admin.getByRole("button", { name: "Vista previa" }).click();
  const preview = admin.getByRole("region", { name: "Vista previa con datos de ejemplo" });
  await expect(preview).toContainText("Asunto: [#1042] Nueva respuesta: No puedo conectarme a la VPN");
  await expect(preview.frameLocator("iframe").locator("body")).toContainText(`Gracias por su paciencia ${tag}, Carla Gómez.`);
  await expect(preview.frameLocator("iframe").locator("blockquote")).toContainText("Hemos reiniciado su acceso a la VPN.");
  await admin.getByRole("button", { name: "Guardar la plantilla" }).click();
  await expect(admin.getByRole("main").getByRole("status")).toHaveText("Plantilla guardada: los próximos correos la usan.");
  await expect(admin.getByRole("note")).toHaveText("Personalizada");

  try {
    // The agent replies from the ticket page; the customer's mail goes through the real SMTP sink.
    const category = await makeCategory();
    const subject = `Plantilla ${tag}`;
    const ticket = await makeTicket(category, customerAccount, subject, { body: "No puedo entrar." });
    const agent = await signIn(browser, agentAccount);
    await agent.goto(`/agent/tickets/${ticket.number}`);
    await agent.getByLabel("Respuesta").fill(`Revisado <b>${tag}</b>`);
    await agent.getByRole("button", { name: "Responder" }).click();
    const mail = await waitForMail(customerAccount.email, `[#${ticket.number}] Nueva respuesta: ${subject}`);
    expect(mail.text).toContain(`Gracias por su paciencia ${tag}, ${customerAccount.name}.`);
    expect(mail.text).toContain(`Revisado <b>${tag}</b>`);
    expect(mail.html).toContain(`Gracias por su paciencia ${tag}`);
    expect(mail.html).toContain(`Revisado &lt;b&gt;${tag}&lt;/b&gt;`);

    // The audit log shows who changed the template, with its before and after, and filters to it.
    await openAdminPage(admin, "Auditoría");
    await admin.getByRole("combobox", { name: "Persona" }).selectOption({ label: adminAccount.name });
    await admin.getByRole("combobox", { name: "Acción" }).selectOption("template.update");
    const entries = admin.getByRole("list", { name: "Auditoría" }).getByRole("listitem");
    await expect(entries).toHaveCount(1);
    await expect(entries.first()).toContainText(adminAccount.name);
    await expect(entries.first()).toContainText("agent_reply:es");
    const changes = entries.first().getByRole("table");
    await expect(changes.getByRole("row", { name: /^body/ })).toContainText(`Gracias por su paciencia ${tag}`);
    await expect(changes.getByRole("row", { name: /^custom/ })).toContainText("false");
    // Another action, and a date range that ended before today, leave nothing.
    await admin.getByRole("combobox", { name: "Acción" }).selectOption("template.update");
    await admin.getByLabel("Hasta").fill("2020-01-01");
    await expect(admin.getByText("No hay cambios con estos filtros.")).toBeVisible();
    await admin.getByLabel("Hasta").fill("");
    await expect(entries).toHaveCount(1);
  } finally {
    // Back to the built-in text, as the admin would, so the next reply mails read as before.
    await openAdminPage(admin, "Plantillas de correo");
    await admin.getByRole("combobox", { name: "Correo", exact: true }).selectOption({ label: "Respuesta de un agente" });
    await admin.getByRole("button", { name: "Restaurar el texto incorporado" }).click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Restaurar el texto incorporado" }).click();
    await expect(admin.getByRole("main").getByRole("status")).toHaveText("Se usará el texto incorporado.");
    await expect(admin.getByRole("note")).toHaveText("Texto incorporado");
  }
});
