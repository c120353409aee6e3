import type { SqlQuery } from "~/server/db/sql";

/**
 * The query without its statement name, so PostgreSQL plans it with this call's values every time.
 * A named statement gets a generic plan after five runs, and a generic plan cannot know that
 * "L31337" matches two tickets of a million and "gracias" all of them, or that a view holds 40
 * rows or 40,000: it picks one shape for every search and some take a hundred times longer. The
 * queue's statements are planned in well under a millisecond, so planning each time costs little.
 */
export function unprepared(q: SqlQuery): { text: string; values: unknown[] } {
  return { text: q.text, values: q.values };
}
