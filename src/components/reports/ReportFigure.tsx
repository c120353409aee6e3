"use client";
import type { ReactNode } from "react";
import { useId } from "react";
import { useI18n } from "~/i18n/react";

/** One report: its title, chart (decorative to a screen reader: the table below says the same), data table and CSV link. */
export function ReportFigure({ title, csvHref, notes, chart, table, testId }: { title: string; csvHref: string; notes?: ReactNode; chart: ReactNode; table: ReactNode; testId: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="report card stack" aria-labelledby={`${id}-title`} data-testid={testId}>
      <div className="report-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <a className="button secondary" href={csvHref} download aria-label={t("reports.csvOf", { chart: title })}>
          {t("reports.csv")}
        </a>
      </div>
      {notes}
      <figure className="report-chart" aria-label={t("reports.chartOf", { chart: title })}>
        {chart}
      </figure>
      <details className="report-data" open>
        <summary>{t("reports.dataOf", { chart: title })}</summary>
        <div className="table-scroll">{table}</div>
      </details>
    </section>
  );
}
