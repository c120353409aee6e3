import type { Locale } from "~/i18n";

const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "hace 5 minutos" / "5 minutes ago": `then` against `now`, in the largest unit that fits. */
export function relativeTime(then: Date, now: Date, locale: Locale): string {
  const format = new Intl.RelativeTimeFormat(locale === "es" ? "es-ES" : "en-GB", { numeric: "auto" });
  let value = (then.getTime() - now.getTime()) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), "year");
}
