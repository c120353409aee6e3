import { describe, expect, it } from "vitest";
import { QUEUE_VIEWS, type QueueView } from "~/shared/queue";
import { callerFor, makeUser, testDeps } from "./support/fixtures";
import { at, queueScene, queueTicket } from "./support/queue";

type Caller = Awaited<ReturnType<typeof callerFor>>;

async function numbersIn(api: Caller, view: QueueView, categoryId: string) {
  const page = await api.ticket.queue({ view, categoryId: [categoryId], limit: 50 });
  return page.items.map((t) => t.number).sort((a, b) => a - b);
}

describe("queue views", () => {
  it("Sin asignar, Mis tickets, Abiertos, Esperando and Todos: finished tickets only in Todos", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const other = await makeUser("AGENT");
    const base = { requesterId: customer.id };
    const openFree = await queueTicket(category.id, { ...base, status: "OPEN" });
    const mineWorking = await queueTicket(category.id, { ...base, status: "IN_PROGRESS", assigneeId: agent.id });
    const othersWaiting = await queueTicket(category.id, { ...base, status: "WAITING_ON_CUSTOMER", assigneeId: other.id });
    const freeWaiting = await queueTicket(category.id, { ...base, status: "WAITING_ON_CUSTOMER" });
    const finished = await Promise.all(
      (["RESOLVED", "CLOSED", "REJECTED"] as const).map((status) => queueTicket(category.id, { ...base, status, assigneeId: status === "CLOSED" ? agent.id : null })),
    );
    const api = await callerFor(deps, agent.id);
    const sorted = (...ts: { number: number }[]) => ts.map((t) => t.number).sort((a, b) => a - b);

    expect(await numbersIn(api, "unassigned", category.id)).toEqual(sorted(openFree, freeWaiting));
    expect(await numbersIn(api, "mine", category.id)).toEqual(sorted(mineWorking));
    expect(await numbersIn(api, "open", category.id)).toEqual(sorted(openFree, mineWorking));
    expect(await numbersIn(api, "waiting", category.id)).toEqual(sorted(othersWaiting, freeWaiting));
    expect(await numbersIn(api, "all", category.id)).toEqual(sorted(openFree, mineWorking, othersWaiting, freeWaiting, ...finished));
  });

  it("Vencidos: a running target past its due (due = now counts), not a met one, not a finished ticket; paused only if due by the pause", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const base = { requesterId: customer.id, status: "OPEN" as const };
    const future = at(24 * 60);
    const dueNow = await queueTicket(category.id, { ...base, firstResponseDueAt: at(0), resolutionDueAt: future });
    const resolutionLate = await queueTicket(category.id, { ...base, firstResponseAt: at(-50), firstResponseDueAt: at(-40), resolutionDueAt: at(-1) });
    await queueTicket(category.id, { ...base, firstResponseDueAt: at(1), resolutionDueAt: future }); // due in a minute
    await queueTicket(category.id, { ...base, firstResponseAt: at(-50), firstResponseDueAt: at(-40), resolutionDueAt: future }); // late target met
    await queueTicket(category.id, { ...base, status: "RESOLVED", resolvedAt: at(-5), firstResponseDueAt: at(-30), resolutionDueAt: at(-20) });
    await queueTicket(category.id, { ...base, status: "CLOSED", firstResponseDueAt: at(-30), resolutionDueAt: at(-20) });
    const pausedAfterDue = await queueTicket(category.id, { ...base, status: "WAITING_ON_CUSTOMER", slaPausedAt: at(-30), firstResponseAt: at(-59), firstResponseDueAt: at(-58), resolutionDueAt: at(-30) });
    await queueTicket(category.id, { ...base, status: "WAITING_ON_CUSTOMER", slaPausedAt: at(-30), firstResponseAt: at(-59), firstResponseDueAt: at(-58), resolutionDueAt: at(-10) });
    const api = await callerFor(deps, agent.id);

    expect(await numbersIn(api, "overdue", category.id)).toEqual([dueNow, resolutionLate, pausedAfterDue].map((t) => t.number).sort((a, b) => a - b));
    const page = await api.ticket.queue({ view: "overdue", categoryId: [category.id] });
    expect(page.items.every((t) => t.slaState === "overdue")).toBe(true);
  });

  it("En riesgo: past a running target's warning time, not overdue, clock running, not finished", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const base = { requesterId: customer.id, status: "IN_PROGRESS" as const, firstResponseAt: at(-50), firstResponseDueAt: at(-40), firstResponseWarnAt: at(-45) };
    const warnedNow = await queueTicket(category.id, { ...base, resolutionWarnAt: at(0), resolutionDueAt: at(30) });
    const firstWarned = await queueTicket(category.id, { requesterId: customer.id, status: "OPEN", firstResponseWarnAt: at(-5), firstResponseDueAt: at(5), resolutionWarnAt: at(100), resolutionDueAt: at(200) });
    await queueTicket(category.id, { ...base, resolutionWarnAt: at(1), resolutionDueAt: at(30) }); // warns in a minute
    await queueTicket(category.id, { ...base, resolutionWarnAt: at(-20), resolutionDueAt: at(-1) }); // already overdue
    await queueTicket(category.id, { ...base, status: "WAITING_ON_CUSTOMER", slaPausedAt: at(-5), resolutionWarnAt: at(-20), resolutionDueAt: at(30) }); // paused
    await queueTicket(category.id, { ...base, status: "RESOLVED", resolvedAt: at(-1), resolutionWarnAt: at(-20), resolutionDueAt: at(30) }); // finished
    await queueTicket(category.id, { ...base, resolutionWarnAt: at(100), resolutionDueAt: at(200) }); // only the met target's warning passed
    const api = await callerFor(deps, agent.id);

    expect(await numbersIn(api, "atRisk", category.id)).toEqual([warnedNow, firstWarned].map((t) => t.number).sort((a, b) => a - b));
    const page = await api.ticket.queue({ view: "atRisk", categoryId: [category.id] });
    expect(page.items.map((t) => t.slaState)).toEqual(["atRisk", "atRisk"]);
    expect(page.items.find((t) => t.id === firstWarned.id)?.slaDueAt).toEqual(at(5));
  });

  it("counts every view in one call, each equal to its list, with the filters applied", async () => {
    const { deps } = testDeps();
    const { category, customer, agent } = await queueScene();
    const base = { requesterId: customer.id };
    await queueTicket(category.id, { ...base, status: "OPEN", priority: "HIGH", firstResponseDueAt: at(-1) });
    await queueTicket(category.id, { ...base, status: "OPEN", assigneeId: agent.id, firstResponseWarnAt: at(-1), firstResponseDueAt: at(10) });
    await queueTicket(category.id, { ...base, status: "WAITING_ON_CUSTOMER", slaPausedAt: at(-5), priority: "HIGH" });
    await queueTicket(category.id, { ...base, status: "CLOSED", priority: "HIGH" });
    const api = await callerFor(deps, agent.id);

    const counts = await api.ticket.queueCounts({ categoryId: [category.id] });
    for (const view of QUEUE_VIEWS) expect(counts[view], view).toBe((await numbersIn(api, view, category.id)).length);
    expect(counts).toEqual({ unassigned: 2, mine: 1, team: 0, open: 2, waiting: 1, atRisk: 1, overdue: 1, all: 4, allMore: false });
    expect(await api.ticket.queueCounts({ categoryId: [category.id], priority: ["HIGH"] })).toEqual({
      unassigned: 2, mine: 0, team: 0, open: 1, waiting: 1, atRisk: 0, overdue: 1, all: 3, allMore: false,
    });
  });

  it("refuses customers", async () => {
    const { deps } = testDeps();
    const customer = await makeUser("CUSTOMER");
    const api = await callerFor(deps, customer.id);
    await expect(api.ticket.queue({ view: "all" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api.ticket.queueCounts({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
