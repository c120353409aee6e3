import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

// A real 1×1 PNG (a tail after its end keeps each run's file unique).
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const TOO_LARGE = "Los archivos adjuntos de un mensaje no pueden superar 20 MB en total.";

/** Picks files through the "Adjuntar archivos" button's file chooser, as a person would. */
async function attach(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Adjuntar archivos" }).click();
  await (await chooser).setFiles(files);
}

/** Each named file's progress bar reaches its end and says "Subido". */
async function expectUploaded(page: Page, names: string[]) {
  for (const name of names) {
    const bar = page.getByRole("progressbar", { name });
    await expect(bar).toBeVisible();
    await expect(page.getByRole("listitem").filter({ has: bar })).toContainText("Subido");
  }
}

async function expectImageShown(page: Page, alt: string) {
  const img = page.getByRole("img", { name: alt });
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
}

async function downloaded(page: Page, linkName: string): Promise<Buffer> {
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: linkName }).click();
  return readFile((await (await download).path())!);
}

test("a customer attaches an image and a document to a new ticket; the agent sees both and answers with a file", async ({ browser, customerAccount, agentAccount }) => {
  const subject = `La impresora imprime rayas ${uniq()}`;
  const image = Buffer.concat([PIXEL, Buffer.from(uniq())]);
  const report = Buffer.from(`Registro de la impresora ${uniq()}\nError 0x51\n`);

  const customer = await signIn(browser, customerAccount);
  await customer.goto("/portal/tickets/new");
  await customer.getByLabel("Asunto").fill(subject);
  await customer.getByLabel("Descripción").fill("Adjunto una foto de la hoja y el registro del equipo.");
  await attach(customer, [
    { name: "hoja.png", mimeType: "image/png", buffer: image },
    { name: "registro.txt", mimeType: "text/plain", buffer: report },
  ]);
  await expectUploaded(customer, ["hoja.png", "registro.txt"]);
  // The summary step (seed 004) lists the files that will be sent; "Enviar" there sends them.
  await customer.getByRole("button", { name: "Continuar" }).click();
  const summary = customer.getByRole("region", { name: "Revise su ticket antes de enviarlo" });
  await expect(summary).toContainText("hoja.png");
  await expect(summary).toContainText("registro.txt");
  await summary.getByRole("button", { name: "Enviar" }).click();

  const heading = customer.getByRole("heading", { name: new RegExp(subject) });
  await expect(heading).toBeVisible();
  const number = Number((await heading.textContent())!.match(/#(\d+)/)![1]);
  // The image as a thumbnail, the text file as a download with its size; both are the bytes sent.
  await expectImageShown(customer, "hoja.png");
  await expect(customer.getByRole("link", { name: "Descargar registro.txt" })).toBeVisible();
  const files = customer.getByRole("list", { name: "Adjuntos" });
  await expect(files.getByRole("listitem").filter({ has: customer.getByRole("link", { name: "Descargar registro.txt" }) })).toContainText("(1 KB)");
  expect((await downloaded(customer, "Descargar registro.txt")).equals(report)).toBe(true);

  // The agent sees them on the ticket, and answers with a file of their own.
  const agent = await signIn(browser, agentAccount);
  await agent.goto(`/agent/tickets/${number}`);
  await expectImageShown(agent, "hoja.png");
  expect((await downloaded(agent, "Descargar registro.txt")).equals(report)).toBe(true);
  const guide = Buffer.from(`Guía de limpieza del rodillo ${uniq()}\n`);
  await agent.getByLabel("Respuesta").fill("Le envío la guía para limpiar el rodillo.");
  await attach(agent, [{ name: "guia-limpieza.txt", mimeType: "text/plain", buffer: guide }]);
  await expectUploaded(agent, ["guia-limpieza.txt"]);
  await agent.getByRole("button", { name: "Responder" }).click();
  await expect(agent.getByText("Le envío la guía para limpiar el rodillo.")).toBeVisible();
  // The form is empty again for the next message.
  await expect(agent.getByRole("progressbar", { name: "guia-limpieza.txt" })).toHaveCount(0);

  // The customer's open page shows the answer and its file live.
  await expect(customer.getByRole("link", { name: "Descargar guia-limpieza.txt" })).toBeVisible({ timeout: 10_000 });
  expect((await downloaded(customer, "Descargar guia-limpieza.txt")).equals(guide)).toBe(true);

  const rows = await query<{ filename: string }>(`SELECT filename FROM "Attachment" a JOIN "Ticket" t ON t.id = a."ticketId" WHERE t.number = $1 ORDER BY filename`, [number]);
  expect(rows.map((r) => r.filename)).toEqual(["guia-limpieza.txt", "hoja.png", "registro.txt"]);
});

test("a file over 20 MB is refused in the browser with the Spanish message and never uploaded", async ({ browser, customerAccount }) => {
  const customer = await signIn(browser, customerAccount);
  await customer.goto("/portal/tickets/new");
  const uploads: string[] = [];
  customer.on("request", (req) => {
    if (req.url().includes("/api/uploads")) uploads.push(req.url());
  });
  await attach(customer, [{ name: "video.mp4", mimeType: "video/mp4", buffer: Buffer.alloc(20 * 1024 * 1024 + 1, 1) }]);
  await expect(customer.getByRole("alert").filter({ hasText: TOO_LARGE })).toBeVisible();
  await expect(customer.getByRole("progressbar")).toHaveCount(0);

  // A small file still goes, and the two together would have been over the limit only with the big one.
  await attach(customer, [{ name: "nota.txt", mimeType: "text/plain", buffer: Buffer.from("hola") }]);
  await expectUploaded(customer, ["nota.txt"]);
  await expect(customer.getByText(TOO_LARGE)).toHaveCount(0);
  expect(uploads).toHaveLength(1);
  // It can be removed again before sending.
  await customer.getByRole("button", { name: "Quitar nota.txt" }).click();
  await expect(customer.getByRole("progressbar", { name: "nota.txt" })).toHaveCount(0);
});
