// A NUL, or a UTF-16 surrogate without its pair (what a broken client or a fuzzer sends).
const INVALID = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasInvalidText(s: string): boolean {
  return INVALID.test(s);
}

/**
 * The path ("subject", "fields.2.value", "" for the input itself) of the first string — value or
 * object key — holding invalid text, or null when there is none. Depth-limited: inputs are small.
 */
export function invalidTextPath(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === "string") return hasInvalidText(value) ? path.join(".") : null;
  if (value === null || typeof value !== "object" || depth > 32) return null;
  if (value instanceof Date) return null;
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, v] of entries) {
    if (hasInvalidText(key)) return [...path, "?"].join(".");
    const found = invalidTextPath(v, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}
