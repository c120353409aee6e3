// Issue 16 item 4: /admin/reports. The numbers of a small hand-computed fixture (tickets with known
// times, written with explicit timestamps, as the controlled clock would), read through the rollup
// (one filter, and a pair of filters) and through the per-ticket rows (three filters, and forced for
// the same inputs as the rollup's: both must agree to the last number); the knowledge base's daily
// rollup; the rebuild; CSV injection; who may read them.
// Every query filters on this file's own category (and team), so tickets other files write meanwhile
// never count.
import { TZDate } from "@date-fns/tz";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { BUCKETS, bucketRange, BUCKET_BOUNDS_MS, percentileFromHistogram } from "~/server/modules/reports/buckets";
import { csvCell, toCsv } from "~/server/modules/reports/csv";
import { reportOverview, reportZone } from "~/server/modules/reports/overview";
import { callerFor, db, makeCategory, makeUser, sessionCookie, testDeps } from "./support/fixtures";

const { deps } = testDeps();
let tz = "Europe/Madrid";
/** An instant given as the desk's local wall time ("2026-03-02 10:00"). */
const at = (local: string) => {
  const [d, t] = local.split(" ");
  const [y, m, dd] = d!.split("-").map(Number) as [number, number, number];
  const [h, mi] = t!.split(":").map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, dd, h, mi, 0, 0, tz).getTime());
};

let categoryId: string;
let otherCategoryId: string;
let teamId: string;
let admin: { id: string };
let customer: { id: string };
let agent: { id: string };
const ids: Record<string, string> = {};

async function ticket(key: string, data: {
  createdAt: string; status: "OPEN" | "IN_PROGRESS" | "RESOLVED" | "CLOSED" | "REJECTED"; category?: string;
  firstResponseAt?: string; resolvedAt?: string; closedAt?: string; updatedAt?: string;
  firstResponseDueAt: string; resolutionDueAt: string; firstResponseBreachedAt?: string;
}) {
  const tag = randomUUID();
  const t = await db.ticket.create({
    data: {
      trackingId: `R-${tag}`, replyToken: `r-${tag}`, subject: `Informe ${key}`, channel: "PORTAL", priority: "MEDIUM",
      status: data.status, categoryId: data.category ?? categoryId, teamId, assigneeId: agent.id, requesterId: customer.id,
      createdAt: at(data.createdAt), updatedAt: at(data.updatedAt ?? data.createdAt),
      firstResponseAt: data.firstResponseAt ? at(data.firstResponseAt) : null,
      resolvedAt: data.resolvedAt ? at(data.resolvedAt) : null,
      closedAt: data.closedAt ? at(data.closedAt) : null,
      firstResponseDueAt: at(data.firstResponseDueAt), resolutionDueAt: at(data.resolutionDueAt),
      firstResponseBreachedAt: data.firstResponseBreachedAt ? at(data.firstResponseBreachedAt) : null,
    },
  });
  ids[key] = t.id;
  return t;
}

const period = () => ({ from: "2026-03-02", to: "2026-03-04", categoryId });

let server: RunningServer;

beforeAll(async () => {
  tz = await reportZone(db);
  const category = await makeCategory();
  categoryId = category.id;
  otherCategoryId = (await makeCategory()).id;
  teamId = (await db.team.create({ data: { name: `Informes ${randomUUID().slice(0, 8)}` } })).id;
  admin = await makeUser("ADMIN");
  customer = await makeUser("CUSTOMER");
  agent = await makeUser("AGENT");
  // Open since the night before the period; answered late (due 08:00), resolved in time.
  await ticket("t1", { createdAt: "2026-03-01 23:30", status: "RESOLVED", firstResponseAt: "2026-03-02 09:00", resolvedAt: "2026-03-02 12:00", firstResponseDueAt: "2026-03-02 08:00", resolutionDueAt: "2026-03-03 08:00" });
  await ticket("t2", { createdAt: "2026-03-02 10:00", status: "CLOSED", firstResponseAt: "2026-03-02 10:30", resolvedAt: "2026-03-02 14:00", closedAt: "2026-03-03 14:00", firstResponseDueAt: "2026-03-02 11:00", resolutionDueAt: "2026-03-03 10:00" });
  await ticket("t3", { createdAt: "2026-03-02 10:15", status: "RESOLVED", firstResponseAt: "2026-03-02 11:15", resolvedAt: "2026-03-03 10:15", firstResponseDueAt: "2026-03-02 11:00", resolutionDueAt: "2026-03-03 09:00" });
  await ticket("t4", { createdAt: "2026-03-03 16:00", status: "IN_PROGRESS", firstResponseAt: "2026-03-03 16:20", firstResponseDueAt: "2026-03-03 17:00", resolutionDueAt: "2026-03-05 16:00" });
  await ticket("t5", { createdAt: "2026-03-04 09:05", status: "OPEN", firstResponseDueAt: "2026-03-04 10:00", resolutionDueAt: "2026-03-06 09:05", firstResponseBreachedAt: "2026-03-04 10:00" });
  // Done before the period: in no number of it.
  await ticket("t6", { createdAt: "2026-02-25 12:00", status: "REJECTED", updatedAt: "2026-02-26 12:00", firstResponseDueAt: "2026-02-25 13:00", resolutionDueAt: "2026-02-27 12:00" });
  // Same team, another category: filtered out.
  await ticket("t7", { createdAt: "2026-03-03 11:00", status: "OPEN", category: otherCategoryId, firstResponseDueAt: "2026-03-03 12:00", resolutionDueAt: "2026-03-05 11:00" });
  await db.ticketEvaluation.create({ data: { ticketId: ids.t2!, helpful: true, comment: "=HYPERLINK(\"http://x\")", agentId: agent.id, createdAt: at("2026-03-03 09:00"), updatedAt: at("2026-03-03 09:00") } });
  await db.ticketEvaluation.create({ data: { ticketId: ids.t3!, helpful: false, comment: "+cmd|' /C calc'!A0", agentId: agent.id, createdAt: at("2026-03-03 12:00"), updatedAt: at("2026-03-03 12:00") } });
  server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1" } });
});

afterAll(async () => {
  await server?.close();
});

async function overview(input: Record<string, unknown>) {
  const caller = await callerFor(deps, admin.id);
  return caller.reports.overview(input as never);
}

const H = 3600_000;
const M = 60_000;

describe("reports: a hand-computed fixture", () => {
  const sources: [string, () => Record<string, string>, "rollup" | "tickets"][] = [
    ["the rollup (one filter)", () => ({}), "rollup"],
    ["the pairs' rollup (two filters)", () => ({ teamId }), "rollup"],
    ["the per-ticket rows (three filters)", () => ({ teamId, channel: "PORTAL" }), "tickets"],
    ["the per-ticket rows (four filters)", () => ({ teamId, channel: "PORTAL", priority: "MEDIUM" }), "tickets"],
    ["the per-ticket rows (five filters)", () => ({ teamId, channel: "PORTAL", priority: "MEDIUM", agentId: agent.id }), "tickets"],
  ];
  for (const [name, extra, source] of sources) {
    it(`counts created, solved and the backlog per local day from ${name}`, async () => {
      const r = await overview({ ...period(), ...extra() });
      expect(r.source).toBe(source);
      expect(r.volume).toEqual([
        { day: "2026-03-02", created: 2, solved: 2, backlog: 1 },
        { day: "2026-03-03", created: 1, solved: 1, backlog: 1 },
        { day: "2026-03-04", created: 1, solved: 0, backlog: 2 },
      ]);
      expect(r.totals).toEqual({ created: 4, solved: 3, backlogStart: 1, backlogEnd: 2 });
      // First responses 20 min, 30 min, 1 h, 9 h 30; resolutions 4 h, 12 h 30, 24 h (wall clock).
      expect(r.times.firstResponse).toEqual({ count: 4, meanMs: 10_200_000, medianMs: 45 * M, p90Ms: 25_020_000, exact: true });
      expect(r.times.resolution).toEqual({ count: 3, meanMs: 48_600_000, medianMs: 12.5 * H, p90Ms: 78_120_000, exact: true });
      expect(r.sla).toEqual([
        { target: "firstResponse", met: 2, breached: 3, percent: 40 },
        { target: "resolution", met: 2, breached: 1, percent: 66.7 },
      ]);
      expect(r.evaluations).toMatchObject({ helpful: 1, notHelpful: 1, percent: 50 });
      expect(r.evaluations.comments.map((c) => [c.number, c.helpful, c.comment])).toEqual([
        [expect.any(Number), false, "+cmd|' /C calc'!A0"],
        [expect.any(Number), true, "=HYPERLINK(\"http://x\")"],
      ]);
      const busy = r.hours.filter((h) => h.count > 0);
      expect(busy).toEqual([
        { weekday: 1, hour: 10, count: 2 },
        { weekday: 2, hour: 16, count: 1 },
        { weekday: 3, hour: 9, count: 1 },
      ]);
      expect(r.hours).toHaveLength(168);
    });
  }

  it("follows a ticket's later changes (the triggers and the fold)", async () => {
    await db.ticket.update({ where: { id: ids.t4! }, data: { status: "RESOLVED", resolvedAt: at("2026-03-04 10:00"), updatedAt: at("2026-03-04 10:00") } });
    const r = await overview(period());
    expect(r.volume[2]).toEqual({ day: "2026-03-04", created: 1, solved: 1, backlog: 1 });
    expect(r.times.resolution.count).toBe(4);
    // Moved to the other category: it leaves this one's numbers altogether.
    await db.ticket.update({ where: { id: ids.t4! }, data: { categoryId: otherCategoryId } });
    const after = await overview(period());
    expect(after.totals).toEqual({ created: 3, solved: 3, backlogStart: 1, backlogEnd: 1 });
    await db.ticket.update({ where: { id: ids.t4! }, data: { categoryId, status: "IN_PROGRESS", resolvedAt: null } });
    expect((await overview(period())).totals).toEqual({ created: 4, solved: 3, backlogStart: 1, backlogEnd: 2 });
  });

  it("counts a ticket worked through the app itself (create, answer, resolve on the controlled clock)", async () => {
    const { deps: own, clock } = testDeps();
    clock.set(at("2026-03-10 09:00"));
    const category = await makeCategory();
    const asCustomer = await callerFor(own, customer.id);
    const asAgent = await callerFor(own, agent.id);
    const created = await asCustomer.ticket.create({ subject: "Impresora", description: "No imprime", categoryId: category.id });
    clock.advance(25 * M);
    await asAgent.ticket.reply({ ticketId: created.id, body: "¿Qué modelo es?" });
    clock.advance(95 * M);
    const { version } = await asAgent.ticket.get({ number: created.number });
    await asAgent.ticket.resolve({ ticketId: created.id, body: "Cambie el cartucho.", version, clientRequestId: "report-resolve-1" });
    const caller = await callerFor(deps, admin.id);
    const r = await caller.reports.overview({ from: "2026-03-10", to: "2026-03-10", categoryId: category.id });
    expect(r.totals).toEqual({ created: 1, solved: 1, backlogStart: 0, backlogEnd: 0 });
    expect(r.times.firstResponse).toMatchObject({ count: 1, medianMs: 25 * M });
    expect(r.times.resolution).toMatchObject({ count: 1, medianMs: 2 * H });
    expect(r.hours.filter((h) => h.count > 0)).toEqual([{ weekday: 2, hour: 9, count: 1 }]);
    expect(r.sla).toEqual([
      { target: "firstResponse", met: 1, breached: 0, percent: 100 },
      { target: "resolution", met: 1, breached: 0, percent: 100 },
    ]);
  });

  it("gives the same numbers from the rollup and from the per-ticket rows, for every filter and pair", async () => {
    const inputs: Record<string, string>[] = [
      {}, { teamId }, { agentId: agent.id }, { channel: "PORTAL" }, { priority: "MEDIUM" }, { channel: "EMAIL" }, { agentId: "none" },
    ];
    for (const when of [period(), { ...period(), from: "2026-02-24", to: "2026-03-10" }, { ...period(), from: "2026-03-03", to: "2026-03-03" }]) {
      for (const extra of inputs) {
        const input = { ...when, ...extra };
        const rollup = await reportOverview(deps, input);
        const tickets = await reportOverview(deps, input, "tickets");
        expect(rollup.source).toBe("rollup");
        expect(tickets.source).toBe("tickets");
        expect({ ...tickets, source: "rollup" }, JSON.stringify(extra)).toEqual(rollup);
      }
    }
    // Three, four and five filters that no fixture ticket matches: nothing, from the per-ticket rows.
    for (const extra of [{ teamId, channel: "EMAIL" }, { teamId, channel: "PORTAL", priority: "HIGH" }, { teamId, channel: "PORTAL", priority: "MEDIUM", agentId: "none" }]) {
      const r = await reportOverview(deps, { ...period(), ...extra });
      expect(r.source).toBe("tickets");
      expect(r.totals, JSON.stringify(extra)).toEqual({ created: 0, solved: 0, backlogStart: 0, backlogEnd: 0 });
      expect(r.times.resolution).toEqual({ count: 0, meanMs: null, medianMs: null, p90Ms: null, exact: true });
      expect(r.sla.map((s) => s.met + s.breached)).toEqual([0, 0]);
    }
    // The wider period holds every fixture ticket: t6 is created and done in it, t1 open at its end's start.
    const wide = await reportOverview(deps, { ...period(), from: "2026-02-24", to: "2026-03-10" });
    expect(wide.totals).toEqual({ created: 6, solved: 3, backlogStart: 0, backlogEnd: 2 });
  });

  it("refuses a period that ends before it starts", async () => {
    await expect(overview({ from: "2026-03-04", to: "2026-03-02" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("reports: the knowledge base (its daily rollup) and the rebuild", () => {
  it("counts deflections and votes per local day, follows deletions and changed votes, and a rebuild gives the same numbers", async () => {
    const tag = randomUUID().slice(0, 8);
    const article = await db.article.create({
      data: { slug: `informe-${tag}`, translationKey: `informe-${tag}`, title: `Informe KB ${tag}`, bodyMarkdown: "Texto", tags: [], state: "PUBLISHED" },
    });
    const deflection = (local: string, n: number) =>
      db.kbDeflection.create({ data: { articleId: article.id, userId: customer.id, draftId: `d-${tag}-${n}`, createdAt: at(local) } });
    const vote = (local: string, n: number, helpful: boolean) =>
      db.articleFeedback.create({ data: { articleId: article.id, visitorKey: `v-${tag}-${n}`, helpful, reasons: [], createdAt: at(local) } });
    // In the period (its first and last local day, to the minute) and just outside it.
    await deflection("2026-03-02 00:00", 1);
    const late = await deflection("2026-03-04 23:59", 2);
    await deflection("2026-03-01 23:59", 3);
    await deflection("2026-03-05 00:00", 4);
    await vote("2026-03-02 08:00", 1, true);
    await vote("2026-03-03 08:00", 2, true);
    const no = await vote("2026-03-04 08:00", 3, false);
    await vote("2026-03-05 08:00", 4, false);
    const kbOf = async () => {
      const r = await overview(period());
      return {
        deflections: r.kb.deflectionsByArticle.find((a) => a.slug === article.slug)?.count ?? 0,
        votes: r.kb.helpfulness.find((a) => a.slug === article.slug) ?? null,
      };
    };
    expect(await kbOf()).toEqual({ deflections: 2, votes: { title: article.title, slug: article.slug, language: "es", helpful: 2, notHelpful: 1, percent: 66.7 } });
    await db.kbDeflection.delete({ where: { id: late.id } });
    await db.articleFeedback.update({ where: { id: no.id }, data: { helpful: true } });
    expect(await kbOf()).toMatchObject({ deflections: 1, votes: { helpful: 3, notHelpful: 0, percent: 100 } });
    // A vote moved out of the period leaves it.
    await db.articleFeedback.update({ where: { id: no.id }, data: { createdAt: at("2026-03-06 08:00") } });
    expect(await kbOf()).toMatchObject({ deflections: 1, votes: { helpful: 2, notHelpful: 0 } });

    // The backfill (npm run reports:rebuild) recomputes every table from the tickets and the KB: nothing moves.
    const before = await reportOverview(deps, { ...period(), teamId });
    const beforeKb = await kbOf();
    await db.$executeRawUnsafe(`SELECT report_rebuild()`);
    expect(await kbOf()).toEqual(beforeKb);
    expect(await reportOverview(deps, { ...period(), teamId })).toEqual(before);
    expect(before.totals).toEqual({ created: 4, solved: 3, backlogStart: 1, backlogEnd: 2 });
  });
});

describe("reports: percentiles from the histogram (over the exact-computation limit)", () => {
  it("lands in the bucket of the true value", () => {
    const values = [20 * M, 30 * M, H, 9.5 * H];
    const hist = new Array<number>(BUCKETS).fill(0);
    const bucketOf = (ms: number) => BUCKET_BOUNDS_MS.filter((b) => b <= ms).length + 1;
    for (const v of values) hist[bucketOf(v) - 1]! += 1;
    const median = percentileFromHistogram(hist, 0.5)!;
    // The true median (45 min) lies between the 2nd and 3rd values: the estimate stays within their buckets.
    expect(median).toBeGreaterThanOrEqual(bucketRange(bucketOf(30 * M))[0]);
    expect(median).toBeLessThan(bucketRange(bucketOf(H))[1]);
    const single = new Array<number>(BUCKETS).fill(0);
    single[bucketOf(2 * H) - 1] = 1000;
    const [low, high] = bucketRange(bucketOf(2 * H));
    expect(percentileFromHistogram(single, 0.9)).toBeGreaterThanOrEqual(low);
    expect(percentileFromHistogram(single, 0.9)).toBeLessThan(high);
    expect(high / low).toBeLessThanOrEqual(1.25 + 1e-9);
    expect(percentileFromHistogram(new Array<number>(BUCKETS).fill(0), 0.5)).toBeNull();
  });
});

describe("reports: CSV", () => {
  it("neutralises every cell a spreadsheet would run as a formula (OWASP)", () => {
    for (const bad of ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(bad).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("Sí, ayudó")).toBe(`"Sí, ayudó"`);
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(toCsv(["a"], [["b"]])).toBe("\uFEFFa\r\nb\r\n");
  });

  async function get(path: string, cookie?: string) {
    const res = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {} });
    return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), bytes: new Uint8Array(await res.arrayBuffer()) };
  }
  const q = () => `from=2026-03-02&to=2026-03-04&categoryId=${categoryId}`;

  it("serves the comments with a BOM, accents intact and the formulas neutralised", async () => {
    const res = await get(`/api/reports/csv/comments?${q()}`, await sessionCookie(admin.id));
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/csv; charset=utf-8");
    expect(res.disposition).toMatch(/^attachment; filename="informe-comments-2026-03-02-2026-03-04\.csv"/);
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(res.bytes.slice(3));
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("Fecha,Ticket,Asunto,Respuesta,Comentario");
    expect(lines[1]).toMatch(/,Informe t3,No,'\+cmd\|' \/C calc'!A0$/);
    expect(lines[2]).toMatch(/,Sí,"'=HYPERLINK\(""http:\/\/x""\)"$/);
  });

  it("serves the volume with the same numbers as the page", async () => {
    const res = await get(`/api/reports/csv/volume?${q()}`, await sessionCookie(admin.id));
    const text = new TextDecoder().decode(res.bytes.slice(3));
    expect(text).toBe("Día,Creados,Resueltos,Pendientes al final del día\r\n2026-03-02,2,2,1\r\n2026-03-03,1,1,1\r\n2026-03-04,1,0,2\r\n");
  });

  it("refuses customers, agents and anonymous callers; a bad period or report is a clear error", async () => {
    expect((await get(`/api/reports/csv/volume?${q()}`)).status).toBe(401);
    expect((await get(`/api/reports/csv/volume?${q()}`, await sessionCookie(customer.id))).status).toBe(403);
    expect((await get(`/api/reports/csv/volume?${q()}`, await sessionCookie(agent.id))).status).toBe(403);
    const bad = await get(`/api/reports/csv/volume?from=2026-03-05&to=2026-03-01`, await sessionCookie(admin.id));
    expect(bad.status).toBe(400);
    expect(new TextDecoder().decode(bad.bytes)).toMatch(/periodo válido/);
    expect((await get(`/api/reports/csv/nada?${q()}`, await sessionCookie(admin.id))).status).toBe(404);
  });
});

describe("reports: who may read them", () => {
  it("refuses customers and agents, lets admins in", async () => {
    for (const user of [customer, agent]) {
      const caller = await callerFor(deps, user.id);
      await expect(caller.reports.overview(period())).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.reports.options()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const caller = await callerFor(deps, admin.id);
    const options = await caller.reports.options();
    expect(options.categories.map((c) => c.id)).toContain(categoryId);
    expect(options.teams.map((t) => t.id)).toContain(teamId);
    expect(options.timeZone).toBe(tz);
  });
});
