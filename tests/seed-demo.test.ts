import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { createDb } from "~/server/db/client";
import { ensureDatabase, migrate } from "~/server/db/migrate";
import { pgSearchEngine } from "~/server/modules/kb/search/pg-engine";
import { seedAll } from "~/server/seed/index";
import { DEMO_ARTICLES } from "~/server/seed/kb-articles";
import { TICKET_STATUSES } from "~/shared/enums";
import { testDeps } from "./support/fixtures";

// The demo seed runs against a database of its own: its users, articles and tickets must not leak
// into the other test files' shared database (they count articles and search the knowledge base).
const url = new URL(env.DATABASE_URL);
url.pathname = `${url.pathname}_seed`;
const seedDb = createDb(url.toString(), 3);

afterAll(async () => {
  await seedDb.$disconnect();
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
  await client.end();
});

async function counts() {
  const tables = ["User", "Category", "KbCategory", "Article", "Ticket", "Message", "Attachment", "TicketEvaluation", "CustomFieldValue", "TicketEvent", "CannedReply"];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await seedDb.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${t}"`))[0]!.n);
  return out;
}

describe("demo seed", () => {
  it("fills the demo (20+ articles, tickets in every status with files, evaluations and fields) and a second run adds nothing", async () => {
    await ensureDatabase(url.toString());
    await migrate(url.toString());
    const { deps } = testDeps({ db: seedDb, search: pgSearchEngine(seedDb) });
    await seedAll(deps, { timeZone: "Europe/Madrid", holidays: "ES" });
    const first = await counts();

    expect(await seedDb.article.count({ where: { language: "es", state: "PUBLISHED" } })).toBeGreaterThanOrEqual(20);
    expect(await seedDb.article.count({ where: { language: "en", state: "PUBLISHED" } })).toBe(DEMO_ARTICLES.filter((a) => a.en).length);
    const statuses = (await seedDb.ticket.groupBy({ by: ["status"], _count: true })).map((g) => g.status).sort();
    expect(statuses).toEqual([...TICKET_STATUSES].sort());
    const files = await seedDb.attachment.findMany({ select: { filename: true, size: true, storageKey: true } });
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect((await deps.store.readBuffer(f.storageKey)).length).toBe(f.size);
    const evaluations = await seedDb.ticketEvaluation.findMany({ select: { helpful: true } });
    expect(evaluations.map((e) => e.helpful).sort()).toEqual([false, true]);
    expect(first.CustomFieldValue).toBeGreaterThan(0);

    await seedAll(deps, { timeZone: "Europe/Madrid", holidays: "ES" });
    expect(await counts()).toEqual(first);
  }, 120_000);
});
