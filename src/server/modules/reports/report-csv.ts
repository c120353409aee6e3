import { translator, type Locale } from "~/i18n";
import type { ReportOverview } from "~/shared/schemas/reports";
import type { Deps } from "../deps";
import { toCsv, type CsvCell } from "./csv";
import { reportOverview } from "./overview";

export const CSV_REPORTS = ["volume", "times", "sla", "evaluations", "comments", "kb-deflections", "kb-helpfulness", "hours"] as const;
export type CsvReport = (typeof CSV_REPORTS)[number];

const minutes = (ms: number | null) => (ms == null ? null : Math.round(ms / 600) / 100);

/** One chart's data as a CSV file (headers in the reader's language, durations in minutes). */
export function csvOf(r: ReportOverview, name: CsvReport, locale: Locale): string {
  const t = translator(locale);
  const table = (header: string[], rows: CsvCell[][]) => toCsv(header, rows);
  switch (name) {
    case "volume":
      return table(
        [t("reports.volume.day"), t("reports.volume.created"), t("reports.volume.solved"), t("reports.volume.backlog")],
        r.volume.map((v) => [v.day, v.created, v.solved, v.backlog]),
      );
    case "times": {
      const row = (label: string, s: ReportOverview["times"]["firstResponse"]) => [label, s.count, minutes(s.meanMs), minutes(s.medianMs), minutes(s.p90Ms)];
      const unit = " (min)";
      return table(
        [t("reports.times.metric"), t("reports.times.count"), t("reports.times.mean") + unit, t("reports.times.median") + unit, t("reports.times.p90") + unit],
        [row(t("reports.times.firstResponse"), r.times.firstResponse), row(t("reports.times.resolution"), r.times.resolution)],
      );
    }
    case "sla":
      return table(
        [t("reports.sla.target"), t("reports.sla.met"), t("reports.sla.breached"), `${t("reports.sla.percent")} (%)`],
        r.sla.map((s) => [t(`reports.sla.${s.target}`), s.met, s.breached, s.percent]),
      );
    case "evaluations":
      return table(
        [t("reports.evaluations.answer"), t("reports.evaluations.count")],
        [
          [t("reports.evaluations.helpful"), r.evaluations.helpful],
          [t("reports.evaluations.notHelpful"), r.evaluations.notHelpful],
        ],
      );
    case "comments":
      return table(
        [t("reports.evaluations.date"), t("reports.evaluations.ticket"), t("reports.evaluations.subject"), t("reports.evaluations.answer"), t("reports.evaluations.comment")],
        r.evaluations.comments.map((c) => [c.at.toISOString(), c.number, c.subject, t(c.helpful ? "reports.evaluations.helpful" : "reports.evaluations.notHelpful"), c.comment]),
      );
    case "kb-deflections":
      return table(
        [t("reports.kb.article"), t("reports.kb.language"), t("reports.kb.deflections")],
        r.kb.deflectionsByArticle.map((a) => [a.title, a.language, a.count]),
      );
    case "kb-helpfulness":
      return table(
        [t("reports.kb.article"), t("reports.kb.language"), t("reports.kb.helpful"), t("reports.kb.notHelpful"), `${t("reports.kb.percent")} (%)`],
        r.kb.helpfulness.map((a) => [a.title, a.language, a.helpful, a.notHelpful, a.percent]),
      );
    case "hours":
      return table(
        [t("reports.hours.weekday"), t("reports.hours.hour"), t("reports.hours.count")],
        r.hours.map((h) => [t(`reports.hours.weekdays.w${h.weekday as 1}`), h.hour, h.count]),
      );
  }
}

/** The CSV of one report for a period and filters, with its file name. */
export async function reportCsv(deps: Pick<Deps, "db">, name: CsvReport, input: unknown, locale: Locale): Promise<{ filename: string; body: string }> {
  const r = await reportOverview(deps, input);
  return { filename: `informe-${name}-${r.from}-${r.to}.csv`, body: csvOf(r, name, locale) };
}
