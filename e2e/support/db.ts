import pg from "pg";

let pool: pg.Pool | undefined;

/**
 * The e2e database (made by the global setup, which hands its URL over in E2E_DATABASE_URL), one
 * small pool per worker. `allowExitOnIdle`: the worker process may end without closing it.
 */
function e2eDb(): pg.Pool {
  return (pool ??= new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 2, allowExitOnIdle: true }));
}

/** Plain SQL against the app's database, for setting up state and checking what the app stored. */
export async function query<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await e2eDb().query<T>(text, params)).rows;
}
