/** "08:30" ↔ minutes from midnight; an end at "00:00" is midnight at the end of the day (24:00). */
export function minutesToTime(minutes: number): string {
  const m = minutes % (24 * 60);
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export function timeToMinutes(value: string, isEnd: boolean): number {
  const [h, m] = value.split(":").map(Number);
  if (h === undefined || m === undefined || Number.isNaN(h) || Number.isNaN(m)) return Number.NaN;
  const minutes = h * 60 + m;
  return isEnd && minutes === 0 ? 24 * 60 : minutes;
}

export type ClientError = { message: string };
