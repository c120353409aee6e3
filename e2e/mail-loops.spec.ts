import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

/**
 * The mail-loop window in the running product: ten mails of one ticket went out a moment ago and an
 * eleventh is staged. The real workers (their outbox reconciler, then the notifications worker) hold
 * it; an admin sees the alert and the held mail at /admin/mailbox, releases it (it reaches the SMTP
 * server once) and dismisses the alert.
 */
test("a mail over the per-ticket window is held, shown to the admin, released once and the alert dismissed", async ({ browser, adminAccount }) => {
  test.setTimeout(150_000);
  const t = uniq();
  const to = `bucle-${t}@cliente.test`;
  const heldMessageId = `<e2e-loop-${t}-held@ventanilla.test>`;
  await query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, 'Cliente Bucle', now())`, [`u-${t}`, to]);
  const [ticket] = await query<{ number: number }>(
    `INSERT INTO "Ticket" (id, "trackingId", subject, channel, "requesterId", "replyToken", "updatedAt")
     VALUES ($1, $2, 'Respuesta automática en bucle', 'EMAIL', $3, $4, now()) RETURNING number`,
    [`t-${t}`, `TRK-${t}`, `u-${t}`, `tok-${t}`],
  );
  const number = ticket!.number;
  // Ten sent just now (as the worker leaves them), and an eleventh staged 40 s ago that never reached
  // the queue: the outbox reconciler (every 30 s) hands it to the notifications worker.
  await query(
    `INSERT INTO "OutboundEmail" (id, "dedupeKey", "ticketId", kind, "to", subject, text, html, "messageId", status, "createdAt", "sentAt")
     SELECT $1 || g, $1 || g, $2, 'agent_reply', $3, 'Re: bucle ' || g, 'cuerpo', '<p>cuerpo</p>', '<e2e-loop-' || $1 || g || '@ventanilla.test>',
       'SENT', (now() AT TIME ZONE 'UTC') - interval '40 seconds', now() AT TIME ZONE 'UTC'
     FROM generate_series(1, 10) g`,
    [`e2e-${t}-`, `t-${t}`, to],
  );
  await query(
    `INSERT INTO "OutboundEmail" (id, "dedupeKey", "ticketId", kind, "to", subject, text, html, "messageId", "createdAt")
     VALUES ($1, $1, $2, 'agent_reply', $3, 'Re: bucle retenido', 'cuerpo retenido', '<p>cuerpo retenido</p>', $4, (now() AT TIME ZONE 'UTC') - interval '40 seconds')`,
    [`e2e-${t}-held`, `t-${t}`, to, heldMessageId],
  );

  const page = await signIn(browser, adminAccount);
  await page.goto("/admin/mailbox");
  await expect(page.getByRole("heading", { name: "Buzón de desarrollo", level: 1 })).toBeVisible();

  // Held by the worker within a reconciler period or two; the page refreshes itself every 5 s.
  const alert = page.getByTestId("mail-loop-alert").filter({ hasText: `#${number}` });
  await expect(alert).toContainText(`Posible bucle de correo en el ticket #${number}: se alcanzó el límite de 10 correos en 10 minutos.`, { timeout: 90_000 });
  await expect(alert).toContainText("1 correo retenido.");
  const row = page.getByRole("row", { name: /Re: bucle retenido/ });
  await expect(row).toContainText(to);
  await expect(row).toContainText("Límite por ticket");
  expect((await receivedMail()).some((m) => m.messageId === heldMessageId)).toBe(false);

  await row.getByRole("button", { name: "Liberar y enviar" }).click();
  await expect(row).toHaveCount(0);
  await expect.poll(async () => (await receivedMail()).filter((m) => m.messageId === heldMessageId).length, { timeout: 30_000 }).toBe(1);

  await alert.getByRole("button", { name: "Descartar alerta" }).click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Alertas de bucle de correo" })).toHaveCount(0);
  // Sent once, and listed as such.
  await expect(page.locator("details", { hasText: "Re: bucle retenido" })).toContainText("Estado: Enviado");
  expect((await receivedMail()).filter((m) => m.messageId === heldMessageId)).toHaveLength(1);
});
