import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The native schema engine is a download, impossible offline: the CLI runs the WebAssembly
// engine through the pg driver adapter instead. Migrations are applied by scripts/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    return new PrismaPg({
      connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla",
    });
  },
});
