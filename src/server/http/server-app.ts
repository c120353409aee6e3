import type { Deps } from "~/server/modules/deps";

/**
 * What the running web server built (src/server/http/create-server.ts): its one database pool,
 * queues and engines. Next.js renders server components in this same process but from its own
 * bundle of our modules, so they reach these through a process-wide slot instead of importing and
 * building infrastructure a second time.
 */
export interface ServerApp {
  deps: Deps;
}

const SLOT = Symbol.for("ventanilla.serverApp");
type Slot = { [SLOT]?: ServerApp };

export function registerServerApp(app: ServerApp): () => void {
  (globalThis as Slot)[SLOT] = app;
  return () => {
    if ((globalThis as Slot)[SLOT] === app) delete (globalThis as Slot)[SLOT];
  };
}

export function serverApp(): ServerApp {
  const app = (globalThis as Slot)[SLOT];
  if (!app) throw new Error("no web server in this process: pages render inside src/server/main.ts, which builds their dependencies");
  return app;
}
