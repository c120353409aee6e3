"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { GroupedBars, HoursChart, VolumeChart, COLORS } from "~/components/reports/charts";
import { formatDuration, hoursOf, presetRange, PRESETS, type Preset } from "~/components/reports/periods";
import { ReportFigure } from "~/components/reports/ReportFigure";
import { FormError } from "~/components/ui/FormError";
import { formatDateTime } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { CHANNELS, PRIORITIES } from "~/shared/enums";
import { api } from "~/trpc/react";

type Filters = { teamId: string; agentId: string; categoryId: string; channel: string; priority: string };
const NO_FILTERS: Filters = { teamId: "", agentId: "", categoryId: "", channel: "", priority: "" };

function EmptyRow({ columns }: { columns: number }) {
  const { t } = useI18n();
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {t("reports.empty")}
      </td>
    </tr>
  );
}

/** Admin: the desk's activity over a period, by team, agent, category, channel and priority. */
export default function ReportsPage() {
  const { t, locale } = useI18n();
  const options = api.reports.options.useQuery();
  const [preset, setPreset] = useState<Preset>("last30");
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const today = options.data?.today;
  const range = useMemo(() => (today ? (preset === "custom" ? custom ?? presetRange("last30", today) : presetRange(preset, today)) : null), [preset, custom, today]);
  const input = useMemo(() => {
    const chosen = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Partial<Filters>;
    return range ? { ...range, ...chosen } : null;
  }, [range, filters]);
  const overview = api.reports.overview.useQuery(input as never, { enabled: !!input, placeholderData: keepPreviousData });
  const r = overview.data;
  const query = input ? new URLSearchParams(input as Record<string, string>).toString() : "";
  const csv = (name: string) => `/api/reports/csv/${name}?${query}`;
  const set = (key: keyof Filters) => (e: React.ChangeEvent<HTMLSelectElement>) => setFilters((f) => ({ ...f, [key]: e.target.value }));
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => t(`reports.hours.weekdays.w${d as 1}`));
  const busiest = r?.hours.reduce((a, b) => (b.count > a.count ? b : a), r.hours[0]!);

  return (
    <div className="stack reports">
      <h1>{t("reports.title")}</h1>
      <p className="muted">{t("reports.intro")}</p>
      <FormError error={options.error} />
      {options.data && (
        <fieldset className="report-filters">
          <legend>{t("reports.filters.legend")}</legend>
          <label>
            {t("reports.filters.period")}
            <select
              value={preset}
              onChange={(e) => {
                const next = e.target.value as Preset;
                if (next === "custom" && range) setCustom(range);
                setPreset(next);
              }}
            >
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {t(`reports.filters.presets.${p}`)}
                </option>
              ))}
            </select>
          </label>
          {preset === "custom" && range && (
            <>
              <label>
                {t("reports.filters.from")}
                <input type="date" value={range.from} max={range.to} onChange={(e) => e.target.value && setCustom({ from: e.target.value, to: range.to })} />
              </label>
              <label>
                {t("reports.filters.to")}
                <input type="date" value={range.to} min={range.from} onChange={(e) => e.target.value && setCustom({ from: range.from, to: e.target.value })} />
              </label>
            </>
          )}
          <label>
            {t("reports.filters.team")}
            <select value={filters.teamId} onChange={set("teamId")}>
              <option value="">{t("reports.filters.any")}</option>
              <option value="none">{t("reports.filters.none")}</option>
              {options.data.teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("reports.filters.agent")}
            <select value={filters.agentId} onChange={set("agentId")}>
              <option value="">{t("reports.filters.any")}</option>
              <option value="none">{t("reports.filters.none")}</option>
              {options.data.agents.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name ?? x.email}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("reports.filters.category")}
            <select value={filters.categoryId} onChange={set("categoryId")}>
              <option value="">{t("reports.filters.any")}</option>
              <option value="none">{t("reports.filters.noCategory")}</option>
              {options.data.categories.map((x) => (
                <option key={x.id} value={x.id}>
                  {locale === "en" ? x.nameEn : x.nameEs}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("reports.filters.channel")}
            <select value={filters.channel} onChange={set("channel")}>
              <option value="">{t("reports.filters.any")}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("reports.filters.priority")}
            <select value={filters.priority} onChange={set("priority")}>
              <option value="">{t("reports.filters.any")}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
      )}
      <FormError error={overview.error} />
      {!r ? (
        <p className="muted" role="status">
          {t("reports.loading")}
        </p>
      ) : (
        <div className="stack" aria-busy={overview.isFetching}>
          <p className="muted">
            {t("reports.zone", { zone: r.timeZone })} {t(`reports.source.${r.source}`)}
          </p>

          <ReportFigure
            testId="report-volume"
            title={t("reports.volume.title")}
            csvHref={csv("volume")}
            notes={<p>{t("reports.volume.summary", { created: r.totals.created, solved: r.totals.solved, start: r.totals.backlogStart, end: r.totals.backlogEnd })}</p>}
            chart={<VolumeChart data={r.volume} labels={{ created: t("reports.volume.created"), solved: t("reports.volume.solved"), backlog: t("reports.volume.backlog") }} />}
            table={
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("reports.volume.day")}</th>
                    <th scope="col" className="num">{t("reports.volume.created")}</th>
                    <th scope="col" className="num">{t("reports.volume.solved")}</th>
                    <th scope="col" className="num">{t("reports.volume.backlog")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.volume.map((v) => (
                    <tr key={v.day}>
                      <th scope="row">{v.day}</th>
                      <td className="num">{v.created}</td>
                      <td className="num">{v.solved}</td>
                      <td className="num">{v.backlog}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />

          <ReportFigure
            testId="report-times"
            title={t("reports.times.title")}
            csvHref={csv("times")}
            notes={
              <>
                <p className="muted">{t("reports.times.note")}</p>
                {(!r.times.firstResponse.exact || !r.times.resolution.exact) && <p className="muted">{t("reports.times.approx", { max: (20_000).toLocaleString(locale) })}</p>}
              </>
            }
            chart={
              <GroupedBars
                category="metric"
                unit=" h"
                data={[
                  { metric: t("reports.times.firstResponse"), median: hoursOf(r.times.firstResponse.medianMs), p90: hoursOf(r.times.firstResponse.p90Ms) },
                  { metric: t("reports.times.resolution"), median: hoursOf(r.times.resolution.medianMs), p90: hoursOf(r.times.resolution.p90Ms) },
                ]}
                series={[
                  { key: "median", name: t("reports.times.median"), color: COLORS.blue },
                  { key: "p90", name: t("reports.times.p90"), color: COLORS.orange },
                ]}
              />
            }
            table={
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("reports.times.metric")}</th>
                    <th scope="col" className="num">{t("reports.times.count")}</th>
                    <th scope="col" className="num">{t("reports.times.mean")}</th>
                    <th scope="col" className="num">{t("reports.times.median")}</th>
                    <th scope="col" className="num">{t("reports.times.p90")}</th>
                  </tr>
                </thead>
                <tbody>
                  {(["firstResponse", "resolution"] as const).map((k) => (
                    <tr key={k}>
                      <th scope="row">{t(`reports.times.${k}`)}</th>
                      <td className="num">{r.times[k].count}</td>
                      <td className="num">{formatDuration(r.times[k].meanMs)}</td>
                      <td className="num">{formatDuration(r.times[k].medianMs)}</td>
                      <td className="num">{formatDuration(r.times[k].p90Ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />

          <ReportFigure
            testId="report-sla"
            title={t("reports.sla.title")}
            csvHref={csv("sla")}
            notes={<p className="muted">{t("reports.sla.note")}</p>}
            chart={
              <GroupedBars
                category="target"
                stacked
                data={r.sla.map((s) => ({ target: t(`reports.sla.${s.target}`), met: s.met, breached: s.breached }))}
                series={[
                  { key: "met", name: t("reports.sla.met"), color: COLORS.green },
                  { key: "breached", name: t("reports.sla.breached"), color: COLORS.red },
                ]}
              />
            }
            table={
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("reports.sla.target")}</th>
                    <th scope="col" className="num">{t("reports.sla.met")}</th>
                    <th scope="col" className="num">{t("reports.sla.breached")}</th>
                    <th scope="col" className="num">{t("reports.sla.percent")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.sla.map((s) => (
                    <tr key={s.target}>
                      <th scope="row">{t(`reports.sla.${s.target}`)}</th>
                      <td className="num">{s.met}</td>
                      <td className="num">{s.breached}</td>
                      <td className="num">{s.percent == null ? "—" : `${s.percent} %`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />

          <ReportFigure
            testId="report-evaluations"
            title={t("reports.evaluations.title")}
            csvHref={csv("evaluations")}
            chart={
              <GroupedBars
                category="answer"
                data={[{ answer: t("reports.evaluations.count"), helpful: r.evaluations.helpful, notHelpful: r.evaluations.notHelpful }]}
                series={[
                  { key: "helpful", name: t("reports.evaluations.helpful"), color: COLORS.green },
                  { key: "notHelpful", name: t("reports.evaluations.notHelpful"), color: COLORS.red },
                ]}
              />
            }
            table={
              <>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("reports.evaluations.answer")}</th>
                      <th scope="col" className="num">{t("reports.evaluations.count")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <th scope="row">{t("reports.evaluations.helpful")}</th>
                      <td className="num">{r.evaluations.helpful}</td>
                    </tr>
                    <tr>
                      <th scope="row">{t("reports.evaluations.notHelpful")}</th>
                      <td className="num">{r.evaluations.notHelpful}</td>
                    </tr>
                    <tr>
                      <th scope="row">{t("reports.evaluations.percent")}</th>
                      <td className="num">{r.evaluations.percent == null ? "—" : `${r.evaluations.percent} %`}</td>
                    </tr>
                  </tbody>
                </table>
                <h3>{t("reports.evaluations.comments")}</h3>
                <p>
                  <a href={csv("comments")} download aria-label={t("reports.csvOf", { chart: t("reports.evaluations.comments") })}>
                    {t("reports.csv")}
                  </a>
                </p>
                {r.evaluations.comments.length === 0 ? (
                  <p className="muted">{t("reports.evaluations.noComments")}</p>
                ) : (
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t("reports.evaluations.date")}</th>
                        <th scope="col">{t("reports.evaluations.ticket")}</th>
                        <th scope="col">{t("reports.evaluations.answer")}</th>
                        <th scope="col">{t("reports.evaluations.comment")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.evaluations.comments.map((c) => (
                        <tr key={`${c.number}`}>
                          <td>
                            <time dateTime={new Date(c.at).toISOString()}>{formatDateTime(c.at, locale)}</time>
                          </td>
                          <td>
                            <a href={`/agent/tickets/${c.number}`}>#{c.number} {c.subject}</a>
                          </td>
                          <td>{t(c.helpful ? "reports.evaluations.helpful" : "reports.evaluations.notHelpful")}</td>
                          <td className="report-comment">{c.comment}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </>
            }
          />

          <ReportFigure
            testId="report-kb-deflections"
            title={t("reports.kb.deflectionsTitle")}
            csvHref={csv("kb-deflections")}
            notes={
              <>
                <p className="muted">{t("reports.kb.note")}</p>
                <p>{t("reports.kb.total", { count: r.kb.deflections })}</p>
              </>
            }
            chart={
              <GroupedBars
                category="title"
                data={r.kb.deflectionsByArticle.map((a) => ({ title: a.title, count: a.count }))}
                series={[{ key: "count", name: t("reports.kb.deflections"), color: COLORS.blue }]}
              />
            }
            table={
              (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("reports.kb.article")}</th>
                      <th scope="col">{t("reports.kb.language")}</th>
                      <th scope="col" className="num">{t("reports.kb.deflections")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.kb.deflectionsByArticle.length === 0 && <EmptyRow columns={3} />}
                    {r.kb.deflectionsByArticle.map((a) => (
                      <tr key={`${a.language}/${a.slug}`}>
                        <th scope="row">{a.title}</th>
                        <td>{a.language}</td>
                        <td className="num">{a.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          />

          <ReportFigure
            testId="report-kb-helpfulness"
            title={t("reports.kb.helpfulnessTitle")}
            csvHref={csv("kb-helpfulness")}
            chart={
              <GroupedBars
                category="title"
                stacked
                data={r.kb.helpfulness.map((a) => ({ title: a.title, helpful: a.helpful, notHelpful: a.notHelpful }))}
                series={[
                  { key: "helpful", name: t("reports.kb.helpful"), color: COLORS.green },
                  { key: "notHelpful", name: t("reports.kb.notHelpful"), color: COLORS.red },
                ]}
              />
            }
            table={
              (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("reports.kb.article")}</th>
                      <th scope="col">{t("reports.kb.language")}</th>
                      <th scope="col" className="num">{t("reports.kb.helpful")}</th>
                      <th scope="col" className="num">{t("reports.kb.notHelpful")}</th>
                      <th scope="col" className="num">{t("reports.kb.percent")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.kb.helpfulness.length === 0 && <EmptyRow columns={5} />}
                    {r.kb.helpfulness.map((a) => (
                      <tr key={`${a.language}/${a.slug}`}>
                        <th scope="row">{a.title}</th>
                        <td>{a.language}</td>
                        <td className="num">{a.helpful}</td>
                        <td className="num">{a.notHelpful}</td>
                        <td className="num">{a.percent} %</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          />

          <ReportFigure
            testId="report-hours"
            title={t("reports.hours.title")}
            csvHref={csv("hours")}
            notes={
              busiest && busiest.count > 0 ? <p>{t("reports.hours.busiest", { weekday: weekdays[busiest.weekday - 1]!, hour: busiest.hour, count: busiest.count })}</p> : null
            }
            chart={<HoursChart data={r.hours} weekdays={weekdays} name={t("reports.hours.count")} />}
            table={
              <table className="report-hours">
                <thead>
                  <tr>
                    <th scope="col">{t("reports.hours.weekday")}</th>
                    {Array.from({ length: 24 }, (_, h) => (
                      <th scope="col" key={h} className="num">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {weekdays.map((name, i) => (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      {r.hours.slice(i * 24, i * 24 + 24).map((c) => (
                        <td key={c.hour} className="num">
                          {c.count}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
        </div>
      )}
    </div>
  );
}
