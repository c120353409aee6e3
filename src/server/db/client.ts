import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { env } from "~/env";

export type Db = PrismaClient;

export function createDb(url: string = env.DATABASE_URL, max = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
}

// Next bundles route code apart from the custom server; keeping the client on globalThis makes
// both share one pool in one process.
const g = globalThis as unknown as { __ventanillaDb?: Db };
export const db: Db = g.__ventanillaDb ?? (g.__ventanillaDb = createDb());
