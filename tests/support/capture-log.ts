import { createLogger, type Logger } from "~/server/observability/logger";

/** A logger (the production one: same redaction) handing each JSON line, without its newline, to `onLine`. */
export function lineLogger(onLine: (line: string) => void, level: "debug" | "info" = "debug"): Logger {
  return createLogger({ LOG_LEVEL: level, NODE_ENV: "test" }, { destination: { write: (chunk: string) => onLine(chunk.trimEnd()) } });
}
