import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";

test("on a ticket, a assigns it to me, n starts an internal note, r a reply, ? lists the shortcuts", async ({ browser, agentAccount, customerAccount }) => {
  const category = await makeCategory();
  const ticket = await makeTicket(category, customerAccount, `Atajos ${uniq()}`, { body: "No arranca el equipo." });
  const agent = await signIn(browser, agentAccount);
  await agent.goto(`/agent/tickets/${ticket.number}`);
  const assignee = agent.getByLabel("Asignar a");
  await expect(assignee).toHaveValue("");

  await agent.keyboard.press("a");
  await expect(assignee).toHaveValue(agentAccount.id);

  await agent.keyboard.press("n");
  const note = agent.getByLabel("Nota interna (no la ve el cliente)");
  await expect(note).toBeChecked();
  await expect(agent.getByRole("textbox", { name: "Respuesta" })).toBeFocused();
  // Keys typed into the box are text, not shortcuts.
  await agent.keyboard.type("u?r");
  await expect(agent).toHaveURL(new RegExp(`/agent/tickets/${ticket.number}$`));
  await expect(agent.getByRole("dialog")).toHaveCount(0);

  await agent.getByRole("textbox", { name: "Respuesta" }).blur();
  await agent.keyboard.press("r");
  await expect(note).not.toBeChecked();
  await expect(agent.getByRole("textbox", { name: "Respuesta" })).toBeFocused();
  await agent.getByRole("textbox", { name: "Respuesta" }).blur();

  await agent.keyboard.press("?");
  const help = agent.getByRole("dialog", { name: "Atajos de teclado" });
  await expect(help).toBeVisible();
  await expect(help.getByRole("cell", { name: "Escribir una nota interna" })).toBeVisible();
  // Already mine: "a" has nothing left to do, so the help does not offer it.
  await expect(help.getByRole("cell", { name: "Asignarme el ticket" })).toHaveCount(0);
  await agent.keyboard.press("Escape");
  await expect(help).toBeHidden();

  await agent.keyboard.press("u");
  await expect(agent).toHaveURL(/\/agent$/);
});
