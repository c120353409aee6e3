// The period presets, counted from today in the desk's zone (reports.options gives it): whole local days, both included.

export const PRESETS = ["last7", "last30", "thisMonth", "lastMonth", "thisYear", "last12Months", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

const parse = (d: string) => new Date(`${d}T00:00:00Z`);
const text = (d: Date) => d.toISOString().slice(0, 10);
const plusDays = (d: string, n: number) => text(new Date(parse(d).getTime() + n * 86_400_000));

/** [from, to] of a preset ending today (custom: null, the inputs decide). */
export function presetRange(preset: Preset, today: string): { from: string; to: string } | null {
  const t = parse(today);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  switch (preset) {
    case "last7":
      return { from: plusDays(today, -6), to: today };
    case "last30":
      return { from: plusDays(today, -29), to: today };
    case "thisMonth":
      return { from: text(new Date(Date.UTC(y, m, 1))), to: today };
    case "lastMonth":
      return { from: text(new Date(Date.UTC(y, m - 1, 1))), to: text(new Date(Date.UTC(y, m, 0))) };
    case "thisYear":
      return { from: `${y}-01-01`, to: today };
    case "last12Months":
      return { from: plusDays(text(new Date(Date.UTC(y - 1, m, t.getUTCDate()))), 1), to: today };
    case "custom":
      return null;
  }
}

/** "2 h 05 min", "35 min", "3 d 4 h": a duration for a table cell (the same abbreviations in both languages). */
export function formatDuration(ms: number | null): string {
  if (ms == null) return "—";
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, "0")} min`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}

/** Hours with one decimal, for a chart's axis. */
export const hoursOf = (ms: number | null) => (ms == null ? 0 : Math.round(ms / 360_000) / 10);
