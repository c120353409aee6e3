import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { QUEUE_SORTS, type QueueSort } from "~/shared/queue";
import { callerFor, db, testDeps } from "./support/fixtures";
import { at, queueScene } from "./support/queue";

/**
 * 70 tickets whose sort keys repeat (five timestamps each) and are sometimes missing, a few
 * finished: every sort's pages, put together, must be each ticket exactly once, in order.
 */
async function seventyTickets(categoryId: string, requesterId: string) {
  const statuses = ["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER", "OPEN", "CLOSED"] as const;
  const data = Array.from({ length: 70 }, (_, i) => {
    const tag = randomUUID();
    return {
      subject: `Página ${i}`,
      channel: "PORTAL" as const,
      trackingId: tag,
      replyToken: tag,
      categoryId,
      requesterId,
      status: statuses[i % 5]!,
      createdAt: at(-(i % 5)),
      firstResponseDueAt: i % 7 === 0 ? null : at(i % 3),
      resolutionDueAt: at(60 + (i % 4)),
      lastCustomerMessageAt: i % 6 === 0 ? null : at(-(i % 4)),
    };
  });
  await db.ticket.createMany({ data });
  return db.ticket.findMany({ where: { categoryId } });
}

type T = Awaited<ReturnType<typeof seventyTickets>>[number];
const finished = (t: T) => ["RESOLVED", "CLOSED", "REJECTED"].includes(t.status);
const slaKey = (t: T) => {
  if (finished(t)) return Infinity;
  const dues = [t.firstResponseAt ? null : t.firstResponseDueAt, t.resolvedAt ? null : t.resolutionDueAt].filter((d): d is Date => !!d);
  return dues.length ? Math.min(...dues.map((d) => d.getTime())) : Infinity;
};
const byId = (a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ORDER: Record<QueueSort, (a: T, b: T) => number> = {
  oldest: (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b),
  newest: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byId(b, a),
  slaDue: (a, b) => (slaKey(a) === slaKey(b) ? byId(a, b) : slaKey(a) < slaKey(b) ? -1 : 1),
  lastCustomer: (a, b) => (b.lastCustomerMessageAt?.getTime() ?? -Infinity) - (a.lastCustomerMessageAt?.getTime() ?? -Infinity) || byId(b, a),
};

describe("queue pages", () => {
  it.each(QUEUE_SORTS)("sort %s: keyset pages of 25 with no duplicate and no gap across equal keys", async (sort) => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const tickets = await seventyTickets(category.id, customer.id);
    const api = await callerFor(deps, agent.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api.ticket.queue>> = await api.ticket.queue({ view: "all", categoryId: [category.id], sort, limit: 25, cursor });
      expect(page.items.length).toBeLessThanOrEqual(25);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toEqual([...tickets].sort(ORDER[sort]).map((t) => t.id));
  });

  it("the default is oldest first, and a page of a live view continues with the same order", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const tickets = await seventyTickets(category.id, customer.id);
    const api = await callerFor(deps, agent.id);
    const first = await api.ticket.queue({ view: "unassigned", categoryId: [category.id], limit: 25 });
    const second = await api.ticket.queue({ view: "unassigned", categoryId: [category.id], limit: 50, cursor: first.nextCursor });
    const live = tickets.filter((t) => !finished(t)).sort(ORDER.oldest);
    expect([...first.items, ...second.items].map((t) => t.id)).toEqual(live.map((t) => t.id));
    expect(second.nextCursor).toBeNull();
  });

  it("refuses a forged cursor and a page size outside 25-50", async () => {
    const { deps } = testDeps();
    const { agent } = await queueScene();
    const api = await callerFor(deps, agent.id);
    await expect(api.ticket.queue({ view: "all", cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.ticket.queue({ view: "all", limit: 10 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.ticket.queue({ view: "all", limit: 51 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
