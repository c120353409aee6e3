import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";

test("a customer's reply to a closed ticket opens a follow-up linked to it, and the page goes there", async ({ browser, customerAccount }) => {
  const category = await makeCategory();
  const closed = await makeTicket(category, customerAccount, `Impresora sin red ${uniq()}`, { body: "No imprime por red." });
  await query(
    `UPDATE "Ticket" SET status = 'CLOSED', "resolvedAt" = now() - interval '20 days', "closedAt" = now() - interval '17 days' WHERE id = $1`,
    [closed.id],
  );
  const customer = await signIn(browser, customerAccount);
  await customer.goto(`/portal/tickets/${closed.number}`);
  await expect(customer.getByText("Este ticket está cerrado. Si el problema persiste")).toBeVisible();
  const words = `Vuelve a fallar ${uniq()}`;
  await customer.getByRole("textbox", { name: "Respuesta" }).fill(words);
  await customer.getByRole("button", { name: "Responder" }).click();

  await expect(customer).not.toHaveURL(new RegExp(`/portal/tickets/${closed.number}$`));
  await expect(customer.getByRole("heading", { level: 1 })).toContainText(closed.subject);
  await expect(customer.getByText(words)).toBeVisible();
  await expect(customer.getByRole("link", { name: `#${closed.number}` })).toHaveAttribute("href", `/portal/tickets/${closed.number}`);
  const [row] = await query<{ status: string }>(`SELECT status::text AS status FROM "Ticket" WHERE id = $1`, [closed.id]);
  expect(row!.status).toBe("CLOSED");
});
