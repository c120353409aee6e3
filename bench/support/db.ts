// The benchmark's own database: created and migrated with the app's migrator, emptied at start,
// and filled with SQL (generate_series) rather than through the API, so 100,000 tickets take
// seconds.
import pg from "pg";
import { ensureDatabase, migrate } from "~/server/db/migrate";

export const AGENT_PREFIX = "bench-agent-";
export const CUSTOMER_PREFIX = "bench-cust-";
export const DRIVER_ID = "bench-driver";

export async function prepareDatabase(url: string): Promise<pg.Client> {
  const u = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) throw new Error(`refusing non-loopback database ${u.hostname}`);
  if (!u.pathname.slice(1).includes("bench")) throw new Error(`refusing to truncate ${u.pathname.slice(1)}: not a bench database`);
  await ensureDatabase(url);
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  await client.query(`TRUNCATE ${rows.map((r) => r.name).join(", ")} CASCADE`);
  await client.query(`ALTER SEQUENCE "Ticket_number_seq" RESTART WITH 1001`);
  return client;
}

const pad = (i: number) => String(i).padStart(5, "0");
export const agentId = (i: number) => `${AGENT_PREFIX}${pad(i)}`;
export const customerId = (i: number) => `${CUSTOMER_PREFIX}${pad(i)}`;

/** `agents` agents (bench-agent-00001…), one driver agent, `customers` customers, 8 categories, 5 teams (each agent in one, agent 1 in two). */
export async function seedPeople(client: pg.Client, agents: number, customers: number) {
  await client.query(
    `INSERT INTO "User" (id, email, name, role, locale, "updatedAt")
     SELECT $1 || lpad(g::text, 5, '0'), 'agent' || g || '@bench.test', 'Agente ' || g, 'AGENT', 'es', now()
     FROM generate_series(1, $2::int) g`,
    [AGENT_PREFIX, agents],
  );
  await client.query(
    `INSERT INTO "User" (id, email, name, role, locale, "updatedAt")
     SELECT $1 || lpad(g::text, 5, '0'), 'cliente' || g || '@bench.test', 'Cliente ' || g, 'CUSTOMER', 'es', now()
     FROM generate_series(1, $2::int) g`,
    [CUSTOMER_PREFIX, customers],
  );
  await client.query(
    `INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, 'driver@bench.test', 'Bench Driver', 'AGENT', 'es', now())`,
    [DRIVER_ID],
  );
  await client.query(
    `INSERT INTO "Category" (id, slug, "nameEs", "nameEn")
     SELECT 'bench-cat-' || g, 'cat-' || g, 'Categoría ' || g, 'Category ' || g FROM generate_series(1, 8) g`,
  );
  await client.query(`INSERT INTO "Team" (id, name, "updatedAt") SELECT 'bench-team-' || g, 'Equipo ' || g, now() FROM generate_series(1, 5) g`);
  await client.query(
    `INSERT INTO "TeamMember" ("teamId", "userId")
     SELECT 'bench-team-' || (1 + g % 5), $1 || lpad(g::text, 5, '0') FROM generate_series(1, $2::int) g
     UNION ALL SELECT 'bench-team-3', $1 || lpad('1', 5, '0') WHERE $2::int >= 1`,
    [AGENT_PREFIX, agents],
  );
}

/** How the bulk tickets look beyond the defaults (bench:api and bench:live use the defaults). */
export interface TicketMix {
  /** The live backlog: the newest tickets, open, in progress or waiting. Default 3% of the tickets. */
  live?: number;
  /** Share of the older tickets still open or in progress (forgotten ones). Default 0.02. */
  staleShare?: number;
  /** One message per ticket (the customer's request), its words in the ticket's search vector. */
  messages?: boolean;
}

// The message texts: a few phrases and products in rotation, a rare batch number, accented words.
const PHRASES = [
  "no puedo iniciar sesión desde ayer", "la impresión sale en blanco", "la cámara no enciende", "olvidé mi contraseña",
  "la factura tiene un importe erróneo", "el pedido no ha llegado", "la aplicación se cierra al abrir", "no recibo los correos",
  "el router pierde la conexión", "quiero cambiar mi dirección de envío", "la pantalla parpadea", "no funciona el escáner",
];
const PRODUCTS = Array.from({ length: 40 }, (_, i) => `modelo${String.fromCharCode(97 + (i % 26))}${i}`);
const sqlArray = (items: string[]) => `ARRAY[${items.map((x) => `'${x.replace(/'/g, "''")}'`).join(", ")}]`;

/** The first message of bulk ticket g (an SQL expression over the integer `g`). */
export function benchBodySql(g: string): string {
  return `'Hola, ' || (${sqlArray(PHRASES)})[1 + (${g} * 7) % ${PHRASES.length}] || '. Equipo ' || (${sqlArray(PRODUCTS)})[1 + (${g} * 13) % ${PRODUCTS.length}]
    || ', lote L' || ((${g}::bigint * 7919) % 50000) || '. Muchas gracias.'`;
}

/**
 * `n` tickets spread over the past year, shaped like a real help desk: the newest ones are the live
 * backlog (open, in progress, waiting), the rest mostly closed/resolved with a few stale open ones.
 * Requesters are drawn from all customers, assignees from the first 50 agents (20% unassigned).
 * SLA due and warning times follow the priority (1 h / 4 h / 8 h to answer, 1 / 2 / 5 days to
 * resolve, warnings at 75%); waiting tickets have their clock paused an hour after opening.
 * Written with triggers off (session_replication_role) and the search vector filled in the same
 * INSERT: a million per-row trigger calls would take longer than the inserts themselves.
 */
export async function seedTickets(client: pg.Client, n: number, mix: TicketMix = {}): Promise<number> {
  const live = Math.min(n, Math.round(mix.live ?? n * 0.03));
  const stale = mix.staleShare ?? 0.02;
  await client.query("SELECT setseed(0.4242)");
  await client.query("SET session_replication_role = replica");
  await client.query(
    `WITH s AS MATERIALIZED (
       SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5 FROM generate_series(1, $1::int) g
     ),
     c AS (SELECT array_agg(id ORDER BY id) AS a FROM "User" WHERE role = 'CUSTOMER'),
     ag AS (SELECT (array_agg(id ORDER BY id))[1:50] AS a FROM "User" WHERE id LIKE 'bench-agent-%'),
     cat AS (SELECT array_agg(id ORDER BY id) AS a FROM "Category"),
     t AS (
       SELECT s.*, now() - (($1::int - g) * (interval '365 days' / $1::int)) AS created,
         CASE
           WHEN g > $1::int - $2::int THEN CASE WHEN r1 < 0.5 THEN 'OPEN' WHEN r1 < 0.8 THEN 'IN_PROGRESS' ELSE 'WAITING_ON_CUSTOMER' END
           ELSE CASE WHEN r1 < 0.85 THEN 'CLOSED' WHEN r1 < 0.95 THEN 'RESOLVED' WHEN r1 < 1 - $3::float8 THEN 'REJECTED'
                     WHEN r1 < 1 - $3::float8 / 2 THEN 'OPEN' ELSE 'IN_PROGRESS' END
         END AS st,
         CASE WHEN r4 < 0.15 THEN 'HIGH' WHEN r4 < 0.75 THEN 'MEDIUM' ELSE 'LOW' END AS pr
       FROM s
     ),
     d AS (
       SELECT t.*, CASE pr WHEN 'HIGH' THEN interval '1 hour' WHEN 'MEDIUM' THEN interval '4 hours' ELSE interval '8 hours' END AS first_span,
         CASE pr WHEN 'HIGH' THEN interval '1 day' WHEN 'MEDIUM' THEN interval '2 days' ELSE interval '5 days' END AS res_span,
         'Consulta de prueba número ' || g AS subject
       FROM t
     )
     INSERT INTO "Ticket" (id, "trackingId", "replyToken", subject, status, priority, channel, "categoryId", "requesterId", "assigneeId", "teamId",
                           "createdAt", "updatedAt", "firstResponseAt", "resolvedAt", "closedAt",
                           "firstResponseDueAt", "resolutionDueAt", "firstResponseWarnAt", "resolutionWarnAt", "slaPausedAt",
                           "lastCustomerMessageAt", "searchVector")
     SELECT 'bench-t-' || g,
            upper(substr(md5('bench' || g), 1, 4) || '-' || substr(md5('bench' || g), 5, 4) || '-' ||
                  substr(md5('bench' || g), 9, 4) || '-' || substr(md5('bench' || g), 13, 4)),
            md5('reply' || g),
            subject,
            st::"TicketStatus",
            pr::"Priority",
            (CASE WHEN r5 < 0.7 THEN 'PORTAL' WHEN r5 < 0.95 THEN 'EMAIL' ELSE 'PHONE' END)::"Channel",
            cat.a[1 + floor(r5 * cardinality(cat.a))::int],
            c.a[1 + floor(r2 * cardinality(c.a))::int],
            CASE WHEN r3 < 0.2 THEN NULL ELSE ag.a[1 + floor((r3 - 0.2) / 0.8 * cardinality(ag.a))::int] END,
            CASE WHEN (g * 7) % 10 < 3 THEN NULL ELSE 'bench-team-' || (1 + (g * 13) % 5) END,
            created,
            created + interval '2 hours',
            CASE WHEN st = 'OPEN' THEN NULL ELSE created + interval '30 minutes' END,
            CASE WHEN st IN ('RESOLVED', 'CLOSED') THEN created + interval '1 day' END,
            CASE WHEN st IN ('CLOSED', 'REJECTED') THEN created + interval '3 days' END,
            created + first_span, created + res_span, created + first_span * 0.75, created + res_span * 0.75,
            CASE WHEN st = 'WAITING_ON_CUSTOMER' THEN created + interval '1 hour' END,
            created + r2 * interval '90 minutes',
            setweight(to_tsvector('vt_simple', subject), 'A') || CASE WHEN $4::bool THEN to_tsvector('vt_simple', ${benchBodySql("g")}) ELSE ''::tsvector END
     FROM d, c, ag, cat`,
    [n, live, stale, !!mix.messages],
  );
  if (mix.messages) {
    await client.query(
      `INSERT INTO "Message" (id, "ticketId", "authorId", "bodyText", "bodyHtml", channel, "createdAt")
       SELECT 'bench-m-' || g, t.id, t."requesterId", body, '<p>' || body || '</p>', t.channel, t."createdAt"
       FROM "Ticket" t, LATERAL (SELECT substr(t.id, 9)::int AS g) k, LATERAL (SELECT ${benchBodySql("k.g")} AS body) b
       WHERE t.id LIKE 'bench-t-%'`,
    );
  }
  await client.query("SET session_replication_role = DEFAULT");
  await client.query(`ANALYZE "Ticket"`);
  await client.query(`ANALYZE "User"`);
  if (mix.messages) await client.query(`ANALYZE "Message"`);
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Ticket"`);
  return Number(rows[0]!.n);
}

/**
 * The ticket benchmarks' starting point: their own database, migrated and emptied, with `agents`
 * and `customers` seeded and `tickets` bulk-inserted, each step logged with its time.
 */
export async function prepareWorkload(
  url: string,
  size: { agents: number; customers: number; tickets: number; mix?: TicketMix },
  log: (line: string) => void,
): Promise<{ client: pg.Client; tickets: number; seedMs: number }> {
  let t = performance.now();
  const client = await prepareDatabase(url);
  await seedPeople(client, size.agents, size.customers);
  log(`database ${new URL(url).pathname.slice(1)} migrated, truncated, people seeded (${(performance.now() - t).toFixed(0)} ms)`);
  t = performance.now();
  const tickets = size.tickets > 0 ? await seedTickets(client, size.tickets, size.mix) : 0;
  const seedMs = performance.now() - t;
  log(`${tickets} tickets inserted with generate_series in ${(seedMs / 1000).toFixed(1)} s`);
  return { client, tickets, seedMs };
}
