// What ticket.list's output schema costs per call: ticketPage.parse over a 50-item page, the queue's
// default. No database: the page is built in the shape listTickets returns. `npx tsx scripts/output-schema-cost.ts`
import { performance } from "node:perf_hooks";
import { ticketPage, type TicketPage } from "~/shared/schemas/tickets";

function page(size: number): TicketPage {
  const at = new Date("2026-03-02T10:00:00Z");
  const items = Array.from({ length: size }, (_, i) => ({
    id: `cmt${String(i).padStart(22, "0")}`,
    number: 1000 + i,
    subject: `No puedo acceder a la factura número ${i} del mes pasado`,
    status: "OPEN" as const,
    priority: "MEDIUM" as const,
    channel: "PORTAL" as const,
    createdAt: new Date(at.getTime() + i * 60_000),
    updatedAt: new Date(at.getTime() + i * 90_000),
    firstResponseAt: i % 2 ? new Date(at.getTime() + i * 30_000) : null,
    category: i % 3 ? { id: "cat1", nameEs: "Facturación", nameEn: "Billing" } : null,
    requester: { id: `usr${i}`, name: `Cliente ${i}`, email: `cliente${i}@example.test` },
    assignee: i % 2 ? { id: "agt1", name: "Laura Agente", email: "laura@example.test" } : null,
  }));
  return { items, nextCursor: items[items.length - 1]!.id };
}

const data = page(50);
const BATCH = 100;
const SAMPLES = 300;
for (let i = 0; i < 3_000; i++) ticketPage.parse(data);

const perCall: number[] = [];
for (let s = 0; s < SAMPLES; s++) {
  const start = performance.now();
  for (let i = 0; i < BATCH; i++) ticketPage.parse(data);
  perCall.push(((performance.now() - start) * 1000) / BATCH);
}
perCall.sort((a, b) => a - b);
const at = (q: number) => perCall[Math.floor(q * (perCall.length - 1))]!.toFixed(1);
console.log(`ticketPage.parse, 50 items: median ${at(0.5)} µs/call (p10 ${at(0.1)}, p90 ${at(0.9)}; ${SAMPLES} samples of ${BATCH} calls)`);
