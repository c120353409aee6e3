import nodemailer from "nodemailer";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

test("a mail to the support address opens a ticket live in the agents' queue, and a reply by mail lands in its thread", async ({ browser, agentAccount }) => {
  const agent = await signIn(browser, agentAccount);
  await expect(agent.getByRole("status")).toHaveText("En vivo");

  const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: Number(process.env.E2E_SMTP_INBOUND_PORT), secure: false, ignoreTLS: true });
  const subject = `El escáner no envía correos ${uniq()}`;
  const sender = `marta.${uniq()}@cliente.test`;
  await smtp.sendMail({ from: { name: "Marta Ruiz", address: sender }, to: "soporte@ventanilla.test", subject, text: "Desde ayer el escáner de la planta 2 no envía los PDF.\n\n-- \nMarta Ruiz\nContabilidad" });

  await expect(agent.getByRole("link", { name: subject })).toBeVisible({ timeout: 5_000 });
  await agent.getByRole("link", { name: subject }).click();
  await expect(agent.getByText("Desde ayer el escáner de la planta 2 no envía los PDF.")).toBeVisible();
  await expect(agent.getByText("Contabilidad")).toHaveCount(0);
  await agent.getByRole("button", { name: "Mostrar mensaje completo" }).click();
  await expect(agent.getByText("Contabilidad")).toBeVisible();

  // The confirmation reached the customer with the reply address of this ticket.
  let confirmation: Awaited<ReturnType<typeof receivedMail>>[number] | undefined;
  await expect
    .poll(async () => {
      confirmation = (await receivedMail()).find((m) => m.subject?.includes(subject) && m.subject.includes("Ticket recibido"));
      return !!confirmation;
    }, { timeout: 15_000 })
    .toBe(true);
  const replyTo = confirmation!.replyTo?.value[0]?.address ?? "";
  expect(replyTo).toMatch(/^soporte\+[0-9a-z]{16,}@ventanilla\.test$/);

  // The customer answers from their mail client: the answer appears in the open thread, live.
  await smtp.sendMail({
    from: sender,
    to: replyTo,
    subject: `Re: ${confirmation!.subject}`,
    inReplyTo: confirmation!.messageId,
    references: [confirmation!.messageId!],
    text: `Adjunto más datos: ocurre solo con documentos de más de 10 páginas.\n\nEl lun, Soporte escribió:\n> ${confirmation!.text?.split("\n")[0]}`,
  });
  await expect(agent.getByText("Adjunto más datos: ocurre solo con documentos de más de 10 páginas.")).toBeVisible({ timeout: 5_000 });
  smtp.close();
  await agent.context().close();
});
