"use client";
import { useI18n } from "~/i18n/react";
import { minutesToTime, timeToMinutes } from "./time";

export type Week = Array<Array<{ start: number; end: number }>>;

/** Monday first on screen; the week is stored Sunday first (0 … 6). */
const DAYS = [1, 2, 3, 4, 5, 6, 0] as const;
const KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** The opening hours of each weekday: any number of ranges, none for a closed day. */
export function WeekHours({ week, onChange }: { week: Week; onChange: (week: Week) => void }) {
  const { t } = useI18n();
  const setDay = (day: number, ranges: Week[number]) => onChange(week.map((r, i) => (i === day ? ranges : r)));
  return (
    <fieldset className="stack">
      <legend>{t("slaAdmin.weeklyHours")}</legend>
      {DAYS.map((day) => {
        const name = t(`slaAdmin.weekdays.${KEYS[day]}`);
        const ranges = week[day] ?? [];
        return (
          <fieldset key={day} className="row">
            <legend>{name}</legend>
            {ranges.length === 0 && <span className="muted">{t("slaAdmin.closedDay")}</span>}
            {ranges.map((r, i) => (
              <div key={i} role="group" aria-label={t("slaAdmin.rangeOf", { n: i + 1, day: name })} className="row">
                <label>
                  {t("slaAdmin.from")}
                  <input
                    type="time"
                    value={minutesToTime(r.start)}
                    onChange={(e) => setDay(day, ranges.map((x, j) => (j === i ? { ...x, start: timeToMinutes(e.target.value, false) } : x)))}
                    required
                  />
                </label>
                <label>
                  {t("slaAdmin.to")}
                  <input
                    type="time"
                    value={minutesToTime(r.end)}
                    onChange={(e) => setDay(day, ranges.map((x, j) => (j === i ? { ...x, end: timeToMinutes(e.target.value, true) } : x)))}
                    required
                  />
                </label>
                <button type="button" className="secondary small" onClick={() => setDay(day, ranges.filter((_, j) => j !== i))}>
                  {t("slaAdmin.removeRange", { n: i + 1, day: name })}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                const last = ranges.at(-1);
                setDay(day, [...ranges, last ? { start: Math.min(last.end, 23 * 60), end: Math.min(last.end + 60, 24 * 60) } : { start: 8 * 60, end: 17 * 60 }]);
              }}
            >
              {t("slaAdmin.addRange", { day: name })}
            </button>
          </fieldset>
        );
      })}
    </fieldset>
  );
}
