import type { Locale } from "~/i18n";
import type { CustomFieldShape } from "~/shared/schemas/custom-fields";

/** A custom field's value as a person reads it: the option's label, Sí/No, a calendar day in the reader's language. */
export function customFieldText(field: CustomFieldShape, value: string | number | boolean | null, locale: Locale, yesNo: { yes: string; no: string }): string | null {
  if (value === null || value === "") return null;
  switch (field.type) {
    case "BOOLEAN":
      return value === true || value === "true" ? yesNo.yes : yesNo.no;
    case "SELECT": {
      const option = field.options.find((o) => o.value === value);
      return option ? (locale === "en" ? option.labelEn : option.labelEs) : String(value);
    }
    case "DATE": {
      const day = new Date(`${String(value)}T00:00:00Z`);
      if (Number.isNaN(day.getTime())) return String(value);
      // A calendar day, not an instant: shown in UTC so no time zone moves it to the day before.
      return new Intl.DateTimeFormat(locale === "es" ? "es-ES" : "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(day);
    }
    default:
      return String(value);
  }
}

export function fieldLabel(field: Pick<CustomFieldShape, "labelEs" | "labelEn">, locale: Locale): string {
  return locale === "en" ? field.labelEn : field.labelEs;
}
