// Issue 16 item 6: an admin registers a webhook, copies its secret (shown once), sees the deliveries
// and their attempts in the log, and redelivers one by hand. The receiver listens on loopback here
// (WEBHOOKS_ALLOW_PRIVATE_TARGETS, e2e/support/global-setup.ts); the workers process sends.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { openAdminPage } from "./support/admin";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";

test("an admin creates a webhook, sees its secret once, edits its URL, events and state, sees deliveries in the log and redelivers one", async ({ browser, adminAccount, customerAccount }) => {
  const received: Array<{ path: string; signature: string; body: string }> = [];
  let answer = 500;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", signature: String(req.headers["ventanilla-signature"]), body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = answer;
      res.end(answer === 200 ? "recibido" : "caído");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const created = `http://127.0.0.1:${(server.address() as AddressInfo).port}/e2e-${uniq()}`;
  // What it is edited to: every later step knows it by this URL.
  const url = `${created}-v2`;
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

  try {
    const page = await signIn(browser, adminAccount);
    await page.goto("/agent");
    await openAdminPage(page, "Webhooks");
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

    await page.getByLabel("Dirección (URL)").fill(created);
    await page.getByLabel("Descripción (opcional)").fill("CRM de pruebas");
    await expect(page.getByRole("checkbox", { name: "Ticket actualizado (estado, prioridad, asignación, equipo, campos)" })).toBeChecked();
    await page.getByRole("button", { name: "Crear webhook" }).click();

    const secretBox = page.getByLabel(`Secreto de ${created}`);
    await expect(secretBox).toHaveValue(/^whsec_/);
    const secret = await secretBox.inputValue();
    await page.getByRole("button", { name: "Ya lo he guardado" }).click();
    await expect(secretBox).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("row", { name: new RegExp(escaped(created)) })).toBeVisible();
    expect(await page.content()).not.toContain(secret);

    // Edited: a URL the guard refuses is not saved; then a new URL, one more event, switched off.
    await page.getByRole("button", { name: `Editar: ${created}` }).click();
    const form = page.getByRole("form", { name: `Editar el webhook de ${created}` });
    await expect(form.getByLabel("Dirección (URL)")).toBeFocused();
    await expect(form.getByLabel("Dirección (URL)")).toHaveValue(created);
    await form.getByLabel("Dirección (URL)").fill("ftp://crm.example.com/hook");
    await form.getByRole("button", { name: "Guardar cambios" }).click();
    await expect(form.getByRole("alert")).toContainText("Escriba una dirección completa");
    await form.getByLabel("Dirección (URL)").fill(url);
    await form.getByRole("checkbox", { name: "SLA incumplido" }).check();
    await form.getByRole("checkbox", { name: "Activo", exact: true }).uncheck();
    await form.getByRole("button", { name: "Guardar cambios" }).click();
    await expect(page.getByText("Webhook guardado.")).toBeVisible();
    await expect(form).toHaveCount(0);
    const edited = page.getByRole("row", { name: new RegExp(`^${escaped(url)}`) });
    await expect(edited).toContainText("SLA incumplido");
    await expect(edited).toContainText("Inactivo");
    await expect(page.getByRole("row", { name: new RegExp(`^${escaped(created)}(?!-v2)`) })).toHaveCount(0);
    // Switched on again from the same form.
    await edited.getByRole("button", { name: `Editar: ${url}` }).click();
    await page.getByRole("form", { name: `Editar el webhook de ${url}` }).getByRole("checkbox", { name: "Activo", exact: true }).check();
    await page.getByRole("form", { name: `Editar el webhook de ${url}` }).getByRole("button", { name: "Guardar cambios" }).click();
    await expect(edited).toContainText("Activo");
    await expect(edited).not.toContainText("Inactivo");
    // Both edits in the audit log, by this admin.
    const audit = await query<{ before: { url?: string; active?: boolean }; after: { url?: string; active?: boolean } }>(
      `SELECT a.before, a.after FROM "AuditLog" a JOIN "Webhook" w ON w.id = a."entityId" WHERE a."entityType" = 'webhook' AND a.action = 'webhook.update' AND w.url = $1 ORDER BY a."createdAt"`,
      [url],
    );
    expect(audit.map((a) => [a.before.url ?? null, a.after.url ?? null, a.after.active])).toEqual([
      [created, url, false],
      [null, null, true],
    ]);

    // A change on a ticket: the receiver is down (500), so the delivery waits for its retry.
    const category = await makeCategory();
    const ticket = await makeTicket(category, customerAccount, `Webhook ${uniq()}`, { body: "Hola" });
    await query(`INSERT INTO "TicketEvent" (id, "ticketId", type, "fromValue", "toValue") VALUES ($1, $2, 'PRIORITY_CHANGED', 'MEDIUM', 'HIGH')`, [`e2e-ev-${uniq()}${uniq()}`, ticket.id]);
    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    // Sent to the URL as edited.
    expect(received.every((r) => url.endsWith(r.path))).toBe(true);

    // Signed with the secret shown once, as a receiver checks it.
    const first = received[0]!;
    const [t, v1] = first.signature.split(",").map((p) => p.split("=")[1]);
    expect(createHmac("sha256", secret).update(`${t}.${first.body}`).digest("hex")).toBe(v1);
    expect(JSON.parse(first.body)).toMatchObject({ type: "ticket.updated", data: { ticket: { id: ticket.id }, change: { field: "priority", to: "HIGH" } } });

    await page.getByRole("button", { name: `Ver envíos: ${url}` }).click();
    const log = page.getByRole("table", { name: `Envíos a ${url}` });
    const row = log.getByRole("row", { name: /ticket\.updated/ });
    await expect(row).toContainText("Pendiente", { timeout: 15_000 });
    await expect(row).toContainText("500");
    await row.getByText("Registro de intentos").click();
    await expect(row).toContainText("Intento 1: 500");
    await expect(row).toContainText("caído");

    // Back up: redelivered by hand, a new delivery of the same event, delivered.
    answer = 200;
    await row.getByRole("button", { name: /^Reenviar: ticket\.updated/ }).click();
    await expect(page.getByText("Reenvío en curso")).toBeVisible();
    const manual = log.getByRole("row", { name: /reenvío manual/ });
    await expect(manual).toContainText("Entregado", { timeout: 20_000 });
    await expect(manual).toContainText("200");
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(received.at(-1)!.body).id).toBe(JSON.parse(first.body).id);

    // Deleted: no later change of any test stages deliveries for it.
    await page.getByRole("row", { name: new RegExp(`^${escaped(url)}`) }).getByRole("button", { name: "Eliminar" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Eliminar" }).click();
    await expect(page.getByText("Webhook eliminado.")).toBeVisible();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
