// Issue 16 item 4: /admin/reports draws its charts (an SVG each, with the numbers in its table),
// follows the filters, and downloads a CSV built on the server. The tickets are this test's own
// (its own category, chosen in the filter), so tickets other tests write meanwhile never count.
import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { openAdminPage } from "./support/admin";
import { makeCategory } from "./support/tickets";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

async function ticketNow(category: string, requesterId: string, channel: "PORTAL" | "PHONE", minutesAgo: number, solvedAfterMinutes?: number) {
  const id = `e2e-rep-${uniq()}${uniq()}`;
  const token = randomUUID();
  await query(
    `INSERT INTO "Ticket" (id, "trackingId", "replyToken", subject, channel, "categoryId", "requesterId", status, "createdAt", "updatedAt", "firstResponseAt", "resolvedAt")
     SELECT $1, $2, $2, 'Informe e2e', $3::"Channel", c.id, $4, (CASE WHEN $6::int IS NULL THEN 'OPEN' ELSE 'RESOLVED' END)::"TicketStatus",
       (now() AT TIME ZONE 'UTC') - make_interval(mins => $5), (now() AT TIME ZONE 'UTC') - make_interval(mins => $5),
       (now() AT TIME ZONE 'UTC') - make_interval(mins => $5) + interval '10 minutes',
       CASE WHEN $6::int IS NULL THEN NULL ELSE (now() AT TIME ZONE 'UTC') - make_interval(mins => $5) + make_interval(mins => $6::int) END
     FROM "Category" c WHERE c."nameEs" = $7`,
    [id, token, channel, requesterId, minutesAgo, solvedAfterMinutes ?? null, category],
  );
}

const CHARTS = ["report-volume", "report-times", "report-sla", "report-evaluations", "report-kb-deflections", "report-kb-helpfulness", "report-hours"];

test("the reports page draws every chart with its table, follows the filters and downloads a CSV", async ({ browser, adminAccount, customerAccount }) => {
  const category = await makeCategory();
  await ticketNow(category, customerAccount.id, "PORTAL", 180, 60);
  await ticketNow(category, customerAccount.id, "PORTAL", 120);
  await ticketNow(category, customerAccount.id, "PHONE", 90, 30);

  // The knowledge base is not filtered by category: an article of this test's own, deflected once and voted on.
  const tag = uniq();
  await query(`INSERT INTO "Article" (id, slug, language, "translationKey", title, "bodyMarkdown", tags, "updatedAt") VALUES ($1, $1, 'es', $1, $2, 'Texto', '{}', now() AT TIME ZONE 'UTC')`, [`e2e-rep-a-${tag}`, `Artículo ${tag}`]);
  await query(`INSERT INTO "KbDeflection" (id, "articleId", "userId", "draftId", "createdAt") VALUES ($1, $2, $3, 'draft', now() AT TIME ZONE 'UTC')`, [`e2e-rep-d-${tag}`, `e2e-rep-a-${tag}`, customerAccount.id]);
  await query(`INSERT INTO "ArticleFeedback" (id, "articleId", "visitorKey", helpful, reasons, "createdAt") VALUES ($1, $2, 'v', true, '{}', now() AT TIME ZONE 'UTC')`, [`e2e-rep-f-${tag}`, `e2e-rep-a-${tag}`]);

  const page = await signIn(browser, adminAccount);
  await openAdminPage(page, "Informes");
  await expect(page).toHaveURL(/\/admin\/reports$/);
  await expect(page.getByRole("heading", { level: 1, name: "Informes" })).toBeVisible();
  await page.getByLabel("Categoría").selectOption({ label: category });

  const volume = page.getByTestId("report-volume");
  await expect(volume.getByText("3 creados, 2 resueltos", { exact: false })).toBeVisible();
  for (const id of CHARTS) {
    const section = page.getByTestId(id);
    await expect(section.locator("svg.recharts-surface").first()).toBeVisible();
    await expect(section.getByRole("table").first()).toBeVisible();
  }
  // The bars of the SLA chart and the lines of the volume chart are drawn from the numbers.
  await expect(volume.locator(".recharts-line")).toHaveCount(3);
  const times = page.getByTestId("report-times").getByRole("table");
  await expect(times.getByRole("row", { name: /Primera respuesta/ }).getByRole("cell").first()).toHaveText("3");
  await expect(times.getByRole("row", { name: /Resolución/ }).getByRole("cell").first()).toHaveText("2");

  // Two filters: still the daily rollup (its pairs of dimensions); a third one, the tickets themselves. Same numbers.
  await page.getByLabel("Canal").selectOption({ label: "Teléfono" });
  await expect(volume.getByText("1 creados, 1 resueltos", { exact: false })).toBeVisible();
  await expect(page.getByText("Datos del resumen diario", { exact: false })).toBeVisible();
  await expect(times.getByRole("row", { name: /Resolución/ }).getByRole("cell").first()).toHaveText("1");
  await page.getByLabel("Prioridad").selectOption({ label: "Media" });
  await expect(page.getByText("calculado ticket a ticket", { exact: false })).toBeVisible();
  await expect(volume.getByText("1 creados, 1 resueltos", { exact: false })).toBeVisible();
  await expect(times.getByRole("row", { name: /Resolución/ }).getByRole("cell").first()).toHaveText("1");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Descargar CSV: Tickets creados, resueltos y pendientes" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^informe-volume-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
  expect(lines[0]).toBe("Día,Creados,Resueltos,Pendientes al final del día");
  const totals = lines.slice(1).map((l) => l.split(",").map(Number)).reduce((a, r) => [a[0]! + r[1]!, a[1]! + r[2]!], [0, 0]);
  expect(totals).toEqual([1, 1]);
});
