// Text helpers both engines share: query words, and turning an engine's highlighted text into the
// contract's HTML-safe snippet.

/** Engines wrap matches in these private-use characters; the snippet swaps them for <mark> after escaping. */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";
const MARKERS = /[\uE000\uE001]/g;

/** Indexed text never carries the markers, so a document cannot forge a highlight. */
export function stripMarkers(text: string): string {
  return text.replace(MARKERS, "");
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Escapes everything, then turns the engine's markers into <mark>…</mark> (balanced, never nested). */
export function markedSnippet(highlighted: string): string {
  let open = false;
  let out = "";
  for (const part of highlighted.split(/([\uE000\uE001])/)) {
    if (part === MARK_START) {
      if (!open) out += "<mark>";
      open = true;
    } else if (part === MARK_END) {
      if (open) out += "</mark>";
      open = false;
    } else out += escapeHtml(part);
  }
  return open ? `${out}</mark>` : out;
}

export const MAX_QUERY_WORDS = 8;

/** The words of a query, lower-cased (accents kept; the engines fold them), at most 8, no repeats. */
export function queryWords(q: string): string[] {
  const words = q.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, 40)))].slice(0, MAX_QUERY_WORDS);
}

export function clampLimit(limit: number | undefined, fallback = 10, max = 50): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(limit)));
}

/** Synonym groups trimmed and lower-cased, without repeats; a group of fewer than two terms means nothing. */
export function normalizeSynonymGroups(groups: string[][]): string[][] {
  return groups
    .map((g) => [...new Set(g.map((t) => t.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ")).filter(Boolean))])
    .filter((g) => g.length >= 2);
}
