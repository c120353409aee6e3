// A NUL, or a UTF-16 surrogate without its pair (what a broken client or a fuzzer sends).
const INVALID = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasInvalidText(s: string): boolean {
  return INVALID.test(s);
}

/** Nodes walked at most: inputs are small, and the schemas after this check refuse big ones. */
const NODES_MAX = 100_000;

/**
 * The path ("subject", "fields.2.value", "" for the input itself) of the first string — value or
 * object key — holding invalid text, or null when there is none. Depth- and size-limited, each
 * object visited once.
 */
export function invalidTextPath(input: unknown): string | null {
  const seen = new WeakSet<object>();
  let budget = NODES_MAX;
  const walk = (value: unknown, path: string[], depth: number): string | null => {
    if (typeof value === "string") return hasInvalidText(value) ? path.join(".") : null;
    if (value === null || typeof value !== "object" || depth > 32 || value instanceof Date || seen.has(value)) return null;
    seen.add(value);
    const keys = Array.isArray(value) ? null : Object.keys(value);
    const length = keys ? keys.length : (value as unknown[]).length;
    for (let i = 0; i < length && budget-- > 0; i++) {
      const key = keys ? keys[i]! : String(i);
      if (hasInvalidText(key)) return [...path, "?"].join(".");
      const found = walk(keys ? (value as Record<string, unknown>)[key] : (value as unknown[])[i], [...path, key], depth + 1);
      if (found !== null) return found;
    }
    return null;
  };
  return walk(input, [], 0);
}
