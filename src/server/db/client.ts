import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";

export type Db = PrismaClient;

/**
 * The pool under the Prisma client. Plain SQL through it is for the few paths where Prisma's
 * per-query cost shows (mail intake runs at 100 mails/s: ~0.7 ms of CPU per Prisma query against
 * ~0.06 ms for the same statement here). Everything else goes through Prisma.
 */
export type Sql = pg.Pool;

const TIMESTAMP_WITHOUT_TZ = 1114;

/** Prisma writes `timestamp(3)` columns in UTC; plain `pg` would read them as local time. */
const utcTimestamps: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_WITHOUT_TZ && format !== "binary"
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

// A registered symbol, not a module-level map: Next (and vitest) can load this module twice, and
// both copies must find the pool of a client either one made.
const POOL = Symbol.for("ventanilla.sqlPool");
type WithPool = Db & { [POOL]?: Sql };

/**
 * A Prisma client over its own pool: made once per process, by the composition root (src/server/compose.ts).
 * `min` connections stay open however long they idle (the others close after 10 s): a new backend
 * pays for its catalog caches, prepared statements and triggers' compilation on its first queries.
 */
export function createDb(url: string, max = 10, min = 0): Db {
  const pool = new pg.Pool({ connectionString: url, max, min, types: utcTimestamps });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  (db as WithPool)[POOL] = pool;
  return db;
}

/** The SQL pool of a client made by `createDb` (one pool per database, shared with Prisma). */
export function sqlOf(db: Db): Sql {
  const pool = (db as WithPool)[POOL];
  if (!pool) throw new Error("sqlOf: this Prisma client was not created by createDb");
  return pool;
}
