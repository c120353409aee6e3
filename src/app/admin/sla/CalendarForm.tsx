"use client";
import { useId, useMemo, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import type { SlaCalendarView } from "~/shared/schemas/sla";
import { api } from "~/trpc/react";
import { ClosedDays } from "./ClosedDays";
import { HolidayPicker } from "./HolidayPicker";
import type { ClientError } from "./time";
import { WeekHours, type Week } from "./WeekHours";

const SEED_WEEK: Week = [[], ...Array.from({ length: 5 }, () => [{ start: 8 * 60, end: 17 * 60 }]), []];

function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes(current) ? zones : [current, ...zones];
}

/** One calendar (or a new one): its name, zone, weekly hours and holidays; its own closed days once it exists. */
export function CalendarForm({ calendar, onSaved, onCancel }: { calendar: SlaCalendarView | null; onSaved: (notice: string) => Promise<void>; onCancel?: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const save = api.sla.saveCalendar.useMutation();
  const remove = api.sla.deleteCalendar.useMutation();
  const [name, setName] = useState(calendar?.name ?? "");
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? "Europe/Madrid");
  const [week, setWeek] = useState<Week>(calendar?.week ?? SEED_WEEK);
  const [holidayRegion, setHolidayRegion] = useState<string | null>(calendar?.holidayRegion ?? null);
  const [error, setError] = useState<ClientError | null>(null);
  const zones = useMemo(() => timeZones(timeZone), [timeZone]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    try {
      await save.mutateAsync({ ...(calendar && { id: calendar.id }), name, timeZone, week, holidayRegion });
      await onSaved(t("slaAdmin.saved"));
    } catch (err) {
      setError(err as ClientError);
    }
  }

  async function onDelete() {
    if (!calendar) return;
    setError(null);
    try {
      await remove.mutateAsync({ id: calendar.id });
      await onSaved(t("slaAdmin.deleted"));
    } catch (err) {
      setError(err as ClientError);
    }
  }

  const title = calendar ? calendar.name : t("slaAdmin.newCalendar");
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        {title} {calendar?.isDefault && <span className="badge">{t("slaAdmin.defaultBadge")}</span>}
      </h3>
      {calendar && <p className="muted">{t("slaAdmin.usedBy", { count: calendar.policyCount })}</p>}
      <form className="stack" onSubmit={onSubmit} aria-label={title}>
        <label>
          {t("slaAdmin.name")}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        </label>
        <label>
          {t("slaAdmin.timeZone")}
          <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <WeekHours week={week} onChange={setWeek} />
        <HolidayPicker value={holidayRegion} onChange={setHolidayRegion} />
        <FormError error={error} />
        <div className="row">
          <button type="submit" disabled={save.isPending}>
            {t("slaAdmin.saveCalendar")}
          </button>
          {onCancel && (
            <button type="button" className="secondary" onClick={onCancel}>
              {t("slaAdmin.cancel")}
            </button>
          )}
          {calendar && !calendar.isDefault && (
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => void onDelete()}>
              {t("slaAdmin.deleteCalendar")}
            </button>
          )}
        </div>
      </form>
      {calendar && <ClosedDays calendar={calendar} onChanged={onSaved} />}
    </section>
  );
}
