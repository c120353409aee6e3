import { randomUUID } from "node:crypto";
import { query } from "./db";
import { uniq } from "./uniq";
import type { TestUser } from "./users";

/** A category of the test's own, so tickets other tests open at the same time never change what it sees or counts. */
export async function makeCategory(): Promise<string> {
  const tag = uniq();
  await query(`INSERT INTO "Category" (id, slug, "nameEs", "nameEn") VALUES ($1, $2, $3, $4)`, [`e2e-cat-${tag}`, `e2e-${tag}`, `Cola ${tag}`, `Queue ${tag}`]);
  return `Cola ${tag}`;
}

/** A portal ticket written straight to the database (optionally assigned, with a first message). */
export async function makeTicket(category: string, requester: TestUser, subject: string, opts: { assigneeId?: string; body?: string } = {}) {
  const id = `e2e-t-${uniq()}${uniq()}`;
  const token = randomUUID();
  const [row] = await query<{ number: number }>(
    `INSERT INTO "Ticket" (id, "trackingId", "replyToken", subject, channel, "categoryId", "requesterId", "assigneeId", "lastCustomerMessageAt", "updatedAt")
     SELECT $1, $2, $2, $3, 'PORTAL', c.id, $4, $5, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM "Category" c WHERE c."nameEs" = $6
     RETURNING number`,
    [id, token, subject, requester.id, opts.assigneeId ?? null, category],
  );
  if (opts.body) {
    await query(`INSERT INTO "Message" (id, "ticketId", "authorId", "bodyText", "bodyHtml", channel) VALUES ($1, $2, $3, $4, $4, 'PORTAL')`, [
      `e2e-m-${uniq()}${uniq()}`, id, requester.id, opts.body,
    ]);
  }
  return { id, number: row!.number, subject };
}

