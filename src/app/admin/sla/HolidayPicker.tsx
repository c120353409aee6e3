"use client";
import { useId } from "react";
import { formatDate } from "~/components/ui/format";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

/** A country or region of the date-holidays package, with this year's public holidays it brings. */
export function HolidayPicker({ value, onChange }: { value: string | null; onChange: (region: string | null) => void }) {
  const { t, locale } = useI18n();
  const id = useId();
  const regions = api.sla.holidayRegions.useQuery();
  const year = new Date().getFullYear();
  const preview = api.sla.holidayPreview.useQuery({ region: value ?? "", year }, { enabled: !!value });
  return (
    <fieldset className="stack">
      <legend>{t("slaAdmin.holidays")}</legend>
      <label>
        {t("slaAdmin.holidayRegion")}
        <select value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{t("slaAdmin.noHolidays")}</option>
          {(regions.data ?? []).map((c) => (
            <optgroup key={c.code} label={c.name}>
              <option value={c.code}>{t("slaAdmin.wholeCountry", { country: c.name })}</option>
              {c.regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {c.name} · {r.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {value && (
        <section aria-labelledby={`${id}-preview`}>
          <h4 id={`${id}-preview`}>{t("slaAdmin.preview", { year })}</h4>
          {preview.data && preview.data.length === 0 && <p className="muted">{t("slaAdmin.previewEmpty")}</p>}
          <ul>
            {(preview.data ?? []).map((h) => (
              <li key={`${h.date}-${h.name}`}>
                <time dateTime={h.date}>{formatDate(`${h.date}T12:00:00Z`, locale)}</time> — {h.name}
              </li>
            ))}
          </ul>
        </section>
      )}
    </fieldset>
  );
}
