// CSV files of the reports: UTF-8 with a byte-order mark (so Excel reads the accents), CRLF lines,
// RFC 4180 quoting, and every cell a spreadsheet could take for a formula neutralised (OWASP, CSV
// injection): one starting with = + - @, a tab or a carriage return gets a leading apostrophe.

export const CSV_BOM = "\uFEFF";

export type CsvCell = string | number | boolean | null | undefined;

/** One cell as text: neutralised, then quoted when it holds a separator, a quote or a line break. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  // Numbers we wrote ourselves stay numbers; any text (a comment, a subject, a name) is neutralised.
  if (typeof value !== "number" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return CSV_BOM + [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
