import { parse, stringify } from "devalue";

/**
 * How tRPC carries values richer than JSON (Dates above all) between server and browser. devalue:
 * a 50-row ticket page serialises in ~245 µs against superjson's ~770 µs (bench/README.md), and the
 * ticket list is the hottest read of the product. Both ends must use this same transformer.
 */
export const transformer = {
  serialize: (value: unknown): string => stringify(value),
  deserialize: (text: unknown): unknown => (typeof text === "string" ? parse(text) : text),
};
