import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { evaluationToken } from "~/server/modules/evaluations/evaluation-link";
import { createRateLimits } from "~/server/modules/security/rate-limit";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

async function expectError(p: Promise<unknown>, code: string, appCode?: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe(code);
  if (appCode) expect(((err as TRPCError).cause as { code?: string } | undefined)?.code).toBe(appCode);
  return err as TRPCError;
}

async function resolvedTicket(locale = "es") {
  const t = testDeps();
  const agent = await makeUser("AGENT");
  const customer = await makeUser("CUSTOMER", { locale });
  const asAgent = await callerFor(t.deps, agent.id);
  const asCustomer = await callerFor(t.deps, customer.id);
  const ticket = await asCustomer.ticket.create({ subject: "Pantalla", description: "Parpadea" });
  await asAgent.ticket.resolve({ ticketId: ticket.id, body: "Cambie el cable HDMI." });
  const mail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "ticket_resolved" } });
  const token = /\/evaluar\/(\S+)/.exec(mail.text)![1]!;
  return { ...t, agent, customer, asAgent, asCustomer, ticket, token };
}

describe("evaluation through the mail's signed link", () => {
  it("records 'No me ayudó' with a comment without a session, shows it to agents and in the history, and lets it change while resolved or closed", async () => {
    const { deps, bus, clock, agent, asAgent, asCustomer, ticket, token, customer } = await resolvedTicket();
    const anon = await callerFor(deps, null);
    clock.advance(60_000);
    const saved = await anon.evaluation.submit({ token, helpful: false, comment: "  Sigue parpadeando  " });
    expect(saved).toMatchObject({ open: true, evaluation: { helpful: false, comment: "Sigue parpadeando" } });

    const seen = await asAgent.ticket.get({ number: ticket.number });
    expect(seen.evaluation).toMatchObject({ helpful: false, comment: "Sigue parpadeando" });
    expect(seen.events.at(-1)).toMatchObject({ type: "EVALUATED", toValue: "NOT_HELPFUL", actor: { id: customer.id } });
    expect(bus.events.at(-1)).toMatchObject({ type: "ticket.updated", ticketId: ticket.id });

    // The same answer again writes nothing; a different one is a new entry.
    await anon.evaluation.submit({ token, helpful: false, comment: "Sigue parpadeando" });
    expect(await db.ticketEvent.count({ where: { ticketId: ticket.id, type: "EVALUATED" } })).toBe(1);
    await asCustomer.ticket.setStatus({ ticketId: ticket.id, status: "CLOSED" });
    await anon.evaluation.submit({ token, helpful: true });
    const row = await db.ticketEvaluation.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    expect(row).toMatchObject({ helpful: true, comment: null, userId: null, agentId: agent.id });
    expect(await db.ticketEvaluation.count({ where: { ticketId: ticket.id } })).toBe(1);
    expect(await db.ticketEvent.count({ where: { ticketId: ticket.id, type: "EVALUATED" } })).toBe(2);
  });

  it("refuses a tampered, foreign or malformed token with a clear localized message, storing nothing", async () => {
    const { deps, ticket, token } = await resolvedTicket();
    const anon = await callerFor(deps, null);
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    // The same signature spelled otherwise: the last character's unused low bit changed (decodes to the same bytes).
    const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const respelled = token.slice(0, -1) + b64[b64.indexOf(token.at(-1)!) ^ 1];
    for (const bad of [flipped, respelled, "nope", `${ticket.id}.${"x".repeat(43)}`, evaluationToken(deps, { id: ticket.id, requesterId: "someone-else" })]) {
      const err = await expectError(anon.evaluation.submit({ token: bad, helpful: true }), "NOT_FOUND", "EVALUATION_LINK_INVALID");
      expect(err.message).toBe("El enlace de evaluación no es válido. Compruebe que lo copió entero desde el correo.");
    }
    const en = await callerFor(deps, null, { locale: "en" });
    expect((await expectError(en.evaluation.byToken({ token: flipped }), "NOT_FOUND")).message).toBe(
      "This evaluation link is not valid. Check that you copied all of it from the email.",
    );
    // Signed with another secret: refused too.
    const otherSecret = evaluationToken({ secrets: { ...deps.secrets, session: `${env.NEXTAUTH_SECRET}-other` } }, { id: ticket.id, requesterId: (await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).requesterId });
    await expectError(anon.evaluation.submit({ token: otherSecret, helpful: true }), "NOT_FOUND", "EVALUATION_LINK_INVALID");
    expect(await db.ticketEvaluation.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it("is refused once the ticket reopens, and a comment over 2,000 characters is refused", async () => {
    const { deps, asCustomer, ticket, token } = await resolvedTicket();
    const anon = await callerFor(deps, null);
    const long = await expectError(anon.evaluation.submit({ token, helpful: true, comment: "x".repeat(2001) }), "BAD_REQUEST");
    expect(long.message).toBe("El comentario no puede superar 2000 caracteres.");
    await asCustomer.ticket.reply({ ticketId: ticket.id, body: "Vuelve a fallar" });
    await expectError(anon.evaluation.submit({ token, helpful: true }), "CONFLICT", "EVALUATION_NOT_OPEN");
    expect((await anon.evaluation.byToken({ token })).open).toBe(false);
    expect(await db.ticketEvaluation.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it("limits submissions per client address", async () => {
    const { deps, token } = await resolvedTicket();
    const rateLimits = createRateLimits(null, `${env.REDIS_PREFIX}-eval`);
    const anon = await callerFor(deps, null, { ip: "203.0.113.7", rateLimits });
    for (let i = 0; i < 20; i++) await anon.evaluation.submit({ token, helpful: i % 2 === 0 });
    const err = await expectError(anon.evaluation.submit({ token, helpful: true }), "TOO_MANY_REQUESTS");
    expect(err.message).toMatch(/Vuelva a intentarlo/);
    const elsewhere = await callerFor(deps, null, { ip: "203.0.113.8", rateLimits });
    await elsewhere.evaluation.submit({ token, helpful: true });
  });
});

describe("evaluation from the portal", () => {
  it("the requester answers from their ticket page; staff and other customers cannot", async () => {
    const { deps, asCustomer, asAgent, ticket } = await resolvedTicket();
    const view = await asCustomer.ticket.evaluate({ ticketId: ticket.id, helpful: true, comment: "Gracias" });
    expect(view.evaluation).toMatchObject({ helpful: true, comment: "Gracias" });
    expect((await db.ticketEvaluation.findUniqueOrThrow({ where: { ticketId: ticket.id } })).userId).not.toBeNull();
    await expectError(asAgent.ticket.evaluate({ ticketId: ticket.id, helpful: false }), "FORBIDDEN");
    const stranger = await callerFor(deps, (await makeUser()).id);
    await expectError(stranger.ticket.evaluate({ ticketId: ticket.id, helpful: false }), "NOT_FOUND");
    const open = await asCustomer.ticket.create({ subject: "Abierto", description: "x" });
    await expectError(asCustomer.ticket.evaluate({ ticketId: open.id, helpful: true }), "CONFLICT", "EVALUATION_NOT_OPEN");
    expect((await db.ticketEvaluation.findUniqueOrThrow({ where: { ticketId: ticket.id } })).helpful).toBe(true);
  });

  it("mails the link in the customer's language", async () => {
    const { ticket } = await resolvedTicket("en");
    const mail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "ticket_resolved" } });
    expect(mail.subject).toBe(`[#${ticket.number}] Your ticket was resolved: Pantalla`);
    expect(mail.text).toContain("Did this answer help you?");
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/evaluar\/\S+/);
  });
});
