import type { Sql } from "~/server/db/client";
import { sql, type SqlQuery } from "~/server/db/sql";
import { unprepared } from "./unprepared";

/*
 * The queue's search box: a ticket number (123 or #123), or words found in the subject, any
 * message, or the requester's name or address. Words are folded the same way on both sides
 * (vt_simple: lower case, unaccent, token by token), so "CAMARA" finds "cámara".
 */

const MAX_WORDS = 8;
/**
 * A search naming more people than this (a first name, a domain) looks for its words in the
 * tickets' texts only: listing every ticket of thousands of requesters is no longer a person search.
 */
export const REQUESTERS_MAX = 500;

/**
 * `'word' & 'word'` for to_tsquery, or null when nothing searchable is left. Whole words only, no
 * prefixes ('contrase':*): the planner knows how common a whole word is from the column's
 * statistics, but guesses the same 2% for any prefix, and with that guess it walked all million
 * tickets in queue order looking for a word no ticket has (bench/README.md, "queue").
 */
export function tsQueryText(input: string): string | null {
  // Only letters and digits survive, so nothing can break out of the quotes.
  const words = input
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return words.map((w) => `'${w}'`).join(" & ");
}

export interface SearchTerms {
  /** "123" or "#123"; `numberOnly` for "#123". */
  number: number | null;
  numberOnly: boolean;
  text: string | null;
}

export function parseSearch(input: string): SearchTerms {
  const m = /^\s*(#)?\s*(\d{1,9})\s*$/.exec(input);
  if (m?.[1]) return { number: Number(m[2]), numberOnly: true, text: null };
  return { number: m ? Number(m[2]) : null, numberOnly: false, text: tsQueryText(input) };
}

/**
 * The people whose name or address holds the words (User_search_idx; the expression is the
 * index's, verbatim), looked up first so the ticket query gets a real list: an estimate for
 * "requester in (whoever matches)" would be a guess that sways the plan of every search.
 */
export async function matchingRequesters(pool: Sql, text: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    unprepared(sql`SELECT u.id FROM "User" u
      WHERE to_tsvector('vt_simple'::regconfig, COALESCE(u.name, '') || ' ' || u.email || ' ' || translate(u.email, '@._-+', '     ')) @@ to_tsquery('vt_simple', ${text})
      LIMIT ${REQUESTERS_MAX + 1}`),
  );
  return rows.length > REQUESTERS_MAX ? [] : rows.map((r) => r.id);
}

/** The search as a condition on `"Ticket" t`: the number, the words (Ticket_searchVector_idx), the requesters' tickets. */
export function searchCondition(terms: SearchTerms, requesterIds: string[]): SqlQuery | null {
  const arms: SqlQuery[] = [];
  if (terms.number !== null) arms.push(sql`t.number = ${terms.number}`);
  if (terms.text) arms.push(sql`t."searchVector" @@ to_tsquery('vt_simple', ${terms.text})`);
  if (requesterIds.length) arms.push(sql`t."requesterId" = ANY(${requesterIds}::text[])`);
  if (arms.length === 0) return null;
  const any = arms.reduce((acc, arm) => sql`${acc} OR ${arm}`);
  return sql`(${any})`;
}
