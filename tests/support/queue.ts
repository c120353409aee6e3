import { randomUUID } from "node:crypto";
import type { Prisma } from "~/server/generated/prisma/client";
import { db, makeCategory, makeUser } from "./fixtures";

/** 2026-03-02T10:00:00Z, testDeps' clock, and minutes around it. */
export const NOW = new Date("2026-03-02T10:00:00Z");
export const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

/**
 * A ticket written straight to the table (queue tests set SLA fields directly), in a category of
 * the test's own so the test's views and counts see only its tickets. With `body`, one message.
 */
export async function queueTicket(categoryId: string, data: Partial<Prisma.TicketUncheckedCreateInput> & { body?: string; requesterId: string }) {
  const tag = randomUUID();
  const { body, ...fields } = data;
  const ticket = await db.ticket.create({
    data: { subject: `Ticket ${tag.slice(0, 8)}`, channel: "PORTAL", trackingId: tag, replyToken: tag, categoryId, createdAt: at(-60), ...fields },
  });
  if (body) await db.message.create({ data: { ticketId: ticket.id, authorId: data.requesterId, bodyText: body, bodyHtml: `<p>${body}</p>`, channel: "PORTAL" } });
  return ticket;
}

/** A category, a customer and an agent for one test. */
export async function queueScene() {
  const [category, customer, agent] = await Promise.all([makeCategory(), makeUser("CUSTOMER"), makeUser("AGENT")]);
  return { category, customer, agent };
}
