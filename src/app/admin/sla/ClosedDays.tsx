"use client";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { formatDate } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import type { SlaCalendarView } from "~/shared/schemas/sla";
import { api } from "~/trpc/react";
import type { ClientError } from "./time";

/** A calendar's own closed days (a local holiday, a company day off): added and removed at once. */
export function ClosedDays({ calendar, onChanged }: { calendar: SlaCalendarView; onChanged: (notice: string) => Promise<void> }) {
  const { t, locale } = useI18n();
  const id = useId();
  const add = api.sla.addClosedDay.useMutation();
  const remove = api.sla.removeClosedDay.useMutation();
  const [date, setDate] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<ClientError | null>(null);

  async function run(action: () => Promise<unknown>, done: () => void) {
    setError(null);
    try {
      await action();
      done();
      await onChanged(t("slaAdmin.saved"));
    } catch (err) {
      setError(err as ClientError);
    }
  }

  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void run(
      () => add.mutateAsync({ calendarId: calendar.id, date, name }),
      () => {
        setDate("");
        setName("");
      },
    );
  }

  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t("slaAdmin.customDays")}</h4>
      {calendar.closedDays.length === 0 ? (
        <p className="muted">{t("slaAdmin.noCustomDays")}</p>
      ) : (
        <ul>
          {calendar.closedDays.map((d) => (
            <li key={d.id} className="row">
              <span>
                <time dateTime={d.date}>{formatDate(`${d.date}T12:00:00Z`, locale)}</time> — {d.name}
              </span>
              <button type="button" className="secondary small" disabled={remove.isPending} onClick={() => void run(() => remove.mutateAsync({ id: d.id }), () => {})}>
                {t("slaAdmin.removeCustomDay", { date: d.date })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={onAdd} aria-label={t("slaAdmin.addCustomDay")}>
        <label>
          {t("slaAdmin.customDate")}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <label>
          {t("slaAdmin.customName")}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        </label>
        <button type="submit" disabled={add.isPending}>
          {t("slaAdmin.addCustomDay")}
        </button>
      </form>
      <FormError error={error} />
    </section>
  );
}
