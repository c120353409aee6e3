import type { IncomingMessage, ServerResponse } from "node:http";
import { ZodError } from "zod";
import { LOCALE_COOKIE, resolveLocale, translate } from "~/i18n";
import { parseCookies, readSession } from "~/server/auth/session";
import type { Deps } from "~/server/modules/deps";
import { CSV_REPORTS, reportCsv, type CsvReport } from "~/server/modules/reports/report-csv";

/** The path of one report's CSV: /api/reports/csv/<report>?from=…&to=…&teamId=… */
export const REPORT_CSV_PATH = /^\/api\/reports\/csv\/([a-z-]{1,32})(\?|$)/;

const FILTER_KEYS = ["from", "to", "teamId", "agentId", "categoryId", "channel", "priority"] as const;

/** GET /api/reports/csv/<report>: built on the server from the same numbers as the page; admins only. */
export async function serveReportCsv(deps: Deps, name: string, req: IncomingMessage, res: ServerResponse) {
  const cookie = req.headers.cookie;
  const session = await readSession(deps.db, cookie, deps.secrets.session);
  const locale = resolveLocale(parseCookies(cookie)[LOCALE_COOKIE], session.actor?.locale);
  const fail = (status: number, code: "UNAUTHORIZED" | "FORBIDDEN" | "REPORT_NOT_FOUND" | "REPORT_PERIOD_INVALID") => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end(translate(locale, `errors.${code}`));
  };
  if (!session.actor) return fail(401, "UNAUTHORIZED");
  if (session.actor.role !== "ADMIN") return fail(403, "FORBIDDEN");
  if (!(CSV_REPORTS as readonly string[]).includes(name)) return fail(404, "REPORT_NOT_FOUND");
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  const input: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const v = query.get(key);
    if (v) input[key] = v;
  }
  try {
    const { filename, body } = await reportCsv(deps, name as CsvReport, input, locale);
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    });
    res.end(body);
  } catch (err) {
    if (err instanceof ZodError) return fail(400, "REPORT_PERIOD_INVALID");
    throw err;
  }
}
