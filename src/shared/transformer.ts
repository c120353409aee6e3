import { stringify, unflatten } from "devalue";

/** devalue's reference to "undefined", NaN, ±Infinity and -0 (its constants -1 … -6); -7 would open a sparse array. */
const SPECIAL_MIN = -6;
const NODES_MAX = 200_000;

function invalid(): never {
  throw new Error("invalid payload");
}

/**
 * What the browser may send is checked before devalue builds anything: a tree (every object or
 * array referenced at most once, so shared references cannot multiply the work of what walks it), no
 * sparse arrays (whose length the sender would choose), and no typed value but a Date.
 */
function checkPayload(values: unknown): void {
  if (typeof values === "number") return;
  if (!Array.isArray(values) || values.length === 0 || values.length > NODES_MAX) invalid();
  // devalue shares equal strings and numbers between references; only containers must not be shared.
  const isContainer = (n: number) => values[n] !== null && typeof values[n] === "object";
  const referenced = new Set<number>([0]);
  const ref = (n: unknown) => {
    if (typeof n !== "number" || !Number.isInteger(n) || n < SPECIAL_MIN - 1 || n >= values.length || n === SPECIAL_MIN - 1) invalid();
    if (n >= 0 && isContainer(n)) {
      if (referenced.has(n)) invalid();
      referenced.add(n);
    }
  };
  for (const v of values) {
    if (Array.isArray(v)) {
      if (typeof v[0] === "string") {
        if (v[0] !== "Date" || v.length !== 2 || typeof v[1] !== "string") invalid();
        continue;
      }
      for (const n of v) ref(n);
    } else if (v !== null && typeof v === "object") {
      for (const n of Object.values(v)) ref(n);
    }
  }
}

/**
 * How tRPC carries values richer than JSON (Dates above all) between server and browser. devalue:
 * a 50-row ticket page serialises in ~245 µs against superjson's ~770 µs (bench/README.md), and the
 * ticket list is the hottest read of the product. Both ends must use this same transformer.
 */
export const transformer = {
  serialize: (value: unknown): string => stringify(value),
  deserialize: (text: unknown): unknown => {
    if (typeof text !== "string") return text;
    const values: unknown = JSON.parse(text);
    checkPayload(values);
    return unflatten(values as number);
  },
};
