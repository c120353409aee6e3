"use client";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";

// The charts of /admin/reports, drawn by recharts (SVG). Colours: distinguishable with the common colour
// blindnesses (Okabe-Ito), and every series is also named in the legend and in the table beside it.
export const COLORS = { blue: "#0072B2", orange: "#E69F00", green: "#009E73", red: "#D55E00", purple: "#CC79A7", grey: "#555" };

const HEIGHT = 280;

export function VolumeChart({ data, labels }: { data: Array<{ day: string; created: number; solved: number; backlog: number }>; labels: { created: string; solved: string; backlog: string } }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" minTickGap={24} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Line type="monotone" dataKey="created" name={labels.created} stroke={COLORS.blue} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="solved" name={labels.solved} stroke={COLORS.green} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="backlog" name={labels.backlog} stroke={COLORS.orange} strokeDasharray="5 3" dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** Grouped bars: one group per row, one bar per series. */
export function GroupedBars<K extends string>({ data, category, series, stacked, unit }: {
  data: Array<Record<string, string | number>>;
  category: string;
  series: Array<{ key: K; name: string; color: string }>;
  stacked?: boolean;
  unit?: string;
}) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={category} />
        <YAxis unit={unit} allowDecimals={!stacked} />
        <Tooltip />
        <Legend />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={stacked ? "s" : undefined} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Weekday × hour: a bubble per slot with tickets, its size the count. */
export function HoursChart({ data, weekdays, name }: { data: Array<{ weekday: number; hour: number; count: number }>; weekdays: string[]; name: string }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <ScatterChart margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="hour" domain={[0, 23]} ticks={[0, 3, 6, 9, 12, 15, 18, 21]} unit="h" />
        <YAxis type="number" dataKey="weekday" domain={[1, 7]} ticks={[1, 2, 3, 4, 5, 6, 7]} reversed tickFormatter={(v: number) => weekdays[v - 1]?.slice(0, 3) ?? ""} />
        <ZAxis type="number" dataKey="count" range={[20, 400]} name={name} />
        <Tooltip />
        <Scatter data={data.filter((d) => d.count > 0)} name={name} fill={COLORS.blue} isAnimationActive={false} />
      </ScatterChart>
    </ResponsiveContainer>
  );
}
