import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

/** The customer opens a ticket from the portal, as a person would; its number, from the heading. */
async function openTicket(customer: Page, subject: string, description: string): Promise<number> {
  await customer.goto("/portal/tickets/new");
  // Typed before the form is hydrated, the text would be dropped: fill until it holds.
  await expect(async () => {
    await customer.getByLabel("Asunto").fill(subject);
    await customer.getByLabel("Descripción").fill(description);
    await expect(customer.getByLabel("Asunto")).toHaveValue(subject, { timeout: 500 });
  }).toPass();
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await customer.getByRole("button", { name: "Continuar" }).click();
  await customer.getByRole("button", { name: "Enviar" }).click();
  const heading = customer.getByRole("heading", { name: new RegExp(subject) });
  await expect(heading).toBeVisible();
  return Number((await heading.textContent())!.match(/#(\d+)/)![1]);
}

async function agentOn(browser: Browser, agent: Parameters<typeof signIn>[1], number: number): Promise<Page> {
  const page = await signIn(browser, agent);
  await page.goto(`/agent/tickets/${number}`);
  await expect(page.getByRole("heading", { name: new RegExp(`#${number}`) })).toBeVisible();
  return page;
}

test("Solicitar información: the customer sees the question and the new status live", async ({ browser, agentAccount, customerAccount }) => {
  const customer = await signIn(browser, customerAccount);
  const number = await openTicket(customer, `El lector no lee ${uniq()}`, "El lector de tarjetas no responde.");
  await expect(customer.getByTestId("ticket-status")).toHaveText("Abierto");
  const agent = await agentOn(browser, agentAccount, number);

  await agent.getByText("Solicitar información", { exact: true }).click();
  const send = agent.getByRole("button", { name: "Enviar solicitud" });
  await send.click();
  await expect(agent.getByText("Escriba qué información necesita del cliente.")).toBeVisible();
  await agent.getByLabel("¿Qué información necesita del cliente?").fill("¿Qué modelo de lector es y qué luz muestra?");
  await send.click();

  await expect(customer.getByText("¿Qué modelo de lector es y qué luz muestra?")).toBeVisible({ timeout: 5_000 });
  await expect(customer.getByTestId("ticket-status")).toHaveText("Esperando al cliente");
  await expect(agent.getByTestId("ticket-status")).toHaveText("Esperando al cliente");
  await agent.context().close();
  await customer.context().close();
});

test("Resolver: the mail's evaluation link works without signing in, and the agent sees the answer", async ({ browser, agentAccount, customerAccount }) => {
  const subject = `La impresora atasca ${uniq()}`;
  const customer = await signIn(browser, customerAccount);
  const number = await openTicket(customer, subject, "Se atasca cada tres hojas.");
  const agent = await agentOn(browser, agentAccount, number);

  await agent.getByText("Resolver", { exact: true }).click();
  await agent.getByLabel("Solución").fill("Cambiamos el rodillo de arrastre.");
  await agent.getByRole("button", { name: "Marcar como resuelto" }).click();
  await expect(agent.getByTestId("ticket-status")).toHaveText("Resuelto");
  await expect(customer.getByTestId("ticket-status")).toHaveText("Resuelto", { timeout: 5_000 });

  let link = "";
  await expect
    .poll(async () => {
      const mail = (await receivedMail()).find((m) => m.subject === `[#${number}] Su ticket fue resuelto: ${subject}`);
      link = /https?:\/\/\S+\/evaluar\/\S+/.exec(mail?.text ?? "")?.[0] ?? "";
      return link;
    }, { timeout: 15_000 })
    .not.toBe("");

  // A fresh browser, nobody signed in: the link alone opens the question.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(new URL(link).pathname);
  await expect(stranger.getByRole("heading", { name: "Evaluar la atención" })).toBeVisible();
  await expect(stranger.getByText(`Ticket #${number}: ${subject}`)).toBeVisible();
  await stranger.getByLabel("Comentario (opcional)").fill("El rodillo nuevo también atasca.");
  await stranger.getByRole("button", { name: "No me ayudó" }).click();
  await expect(stranger.getByText("¡Gracias por su evaluación!")).toBeVisible();
  await expect(stranger.getByRole("button", { name: "No me ayudó" })).toHaveAttribute("aria-pressed", "true");

  const evaluation = agent.getByRole("region", { name: "Evaluación del cliente" });
  await expect(evaluation.getByText("No me ayudó")).toBeVisible({ timeout: 5_000 });
  await expect(evaluation.getByText("El rodillo nuevo también atasca.")).toBeVisible();
  await expect(agent.getByText("Evaluación del cliente: No me ayudó")).toBeVisible();

  // A tampered link says so and stores nothing.
  await stranger.goto(`${new URL(link).pathname.slice(0, -2)}xx`);
  await expect(stranger.getByRole("alert").filter({ hasText: "El enlace de evaluación no es válido. Compruebe que lo copió entero desde el correo." })).toBeVisible();
  await expect(stranger.getByRole("button", { name: "No me ayudó" })).toHaveCount(0);
  await stranger.context().close();
  await agent.context().close();
  await customer.context().close();
});

test("merging a duplicate joins the threads in the survivor and leaves a pointer on the duplicate", async ({ browser, agentAccount, customerAccount }) => {
  const customer = await signIn(browser, customerAccount);
  const survivor = await openTicket(customer, `Sin acceso a la VPN ${uniq()}`, "No puedo entrar a la VPN desde casa.");
  const duplicate = await openTicket(customer, `VPN otra vez ${uniq()}`, "Sigo sin poder conectar a la VPN.");
  const agent = await agentOn(browser, agentAccount, duplicate);

  await agent.getByText("Fusionar con otro ticket", { exact: true }).click();
  await agent.getByLabel("Número del ticket que se conserva").fill(String(survivor));
  await agent.getByRole("button", { name: "Fusionar…" }).click();
  const confirm = agent.getByRole("alertdialog");
  await expect(confirm).toContainText(`¿Fusionar el #${duplicate} en el #${survivor}? No se puede deshacer.`);
  await confirm.getByRole("button", { name: "Sí, fusionar" }).click();

  await expect(agent.getByText("Este ticket se fusionó en el")).toBeVisible();
  await expect(agent.getByTestId("ticket-status")).toHaveText("Cerrado");
  await agent.getByRole("link", { name: `#${survivor}` }).click();
  await expect(agent.getByRole("heading", { name: new RegExp(`#${survivor}`) })).toBeVisible();
  const thread = agent.getByRole("list", { name: "Conversación" });
  await expect(thread.getByText("No puedo entrar a la VPN desde casa.")).toBeVisible();
  await expect(thread.getByText("Sigo sin poder conectar a la VPN.")).toBeVisible();
  await expect(thread.getByText(`Fusionado desde #${duplicate}`)).toBeVisible();

  // The customer's page of the duplicate points at the survivor too.
  await customer.goto(`/portal/tickets/${duplicate}`);
  await expect(customer.getByText("Este ticket se fusionó en el")).toBeVisible();
  await expect(customer.getByRole("link", { name: `#${survivor}` })).toHaveAttribute("href", `/portal/tickets/${survivor}`);
  await agent.context().close();
  await customer.context().close();
});

test("rejecting asks for a reason and for confirmation before it happens", async ({ browser, agentAccount, customerAccount }) => {
  const customer = await signIn(browser, customerAccount);
  const number = await openTicket(customer, `Petición incompleta ${uniq()}`, "Ayuda.");
  const agent = await agentOn(browser, agentAccount, number);

  await agent.getByText("Rechazar ticket", { exact: true }).click();
  await agent.getByRole("button", { name: "Rechazar…" }).click();
  await expect(agent.getByText("Escriba el motivo del rechazo: el cliente lo recibirá.")).toBeVisible();
  await expect(agent.getByLabel("Motivo del rechazo")).toHaveAttribute("aria-invalid", "true");
  await agent.getByLabel("Motivo del rechazo").fill("Falta el número de serie del equipo.");
  await agent.getByRole("button", { name: "Rechazar…" }).click();
  const confirm = agent.getByRole("alertdialog");
  await expect(confirm).toContainText(`¿Rechazar el ticket #${number}? El cliente recibirá este motivo.`);
  await confirm.getByRole("button", { name: "Cancelar" }).click();
  await expect(agent.getByTestId("ticket-status")).toHaveText("Abierto");

  await agent.getByRole("button", { name: "Rechazar…" }).click();
  await agent.getByRole("alertdialog").getByRole("button", { name: "Sí, rechazar el ticket" }).click();
  await expect(agent.getByTestId("ticket-status")).toHaveText("Rechazado");
  await expect(customer.getByText("Falta el número de serie del equipo.")).toBeVisible({ timeout: 5_000 });
  await agent.context().close();
  await customer.context().close();
});
