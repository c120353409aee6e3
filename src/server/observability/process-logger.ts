import { env } from "~/env";
import { createLogger, type Logger } from "./logger";

const byName = new Map<string, Logger>();

/**
 * The web process's own logger for code that no request logger reaches: server components, next-auth's
 * callbacks, calls without an HTTP server. One per name, made on first use (LOG_LEVEL as everywhere).
 */
export function processLogger(name: string): Logger {
  let log = byName.get(name);
  if (!log) byName.set(name, (log = createLogger(env, { name })));
  return log;
}
