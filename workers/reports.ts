import type { Logger } from "~/server/observability/logger";
import type { Deps } from "~/server/modules/deps";
import { foldPending } from "~/server/modules/reports/overview";

/** How often the reports' pending deltas are folded into the rollup, so a report read has few left to fold itself. */
// Each delta now folds into 16 rollup rows a day it touches (all, 5 dimensions, 10 pairs): ~0.4 ms
// a delta at a million tickets, so a busy desk's 30 s of writes would cost the next read too much.
export const REPORT_FOLD_EVERY_MS = 10_000;

/**
 * Folds the ticket changes the triggers logged (ReportDelta) into ReportDaily in the background. Not
 * needed for correctness (every report read folds first); it keeps that read's share small. Several
 * workers processes fold one at a time (an advisory lock in report_fold()).
 */
export function keepReportsFolded(deps: Pick<Deps, "db">, log: Logger, everyMs = REPORT_FOLD_EVERY_MS) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    foldPending(deps.db)
      .catch((err: Error) => log.warn({ err }, "report fold failed"))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
