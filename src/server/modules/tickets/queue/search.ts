import { sql, type SqlQuery } from "~/server/db/sql";

/*
 * The queue's search box: a ticket number (123 or #123), or words found in the subject, any
 * message, or the requester's name or address. Words are folded the same way on both sides
 * (vt_simple: lower case, unaccent, token by token), so "CAMARA" finds "cámara".
 */

const MAX_WORDS = 8;
/** The last word is matched as a prefix (the agent may still be typing) once it has this many letters. */
const PREFIX_MIN = 3;

/** `'word' & 'word' & 'prefix':*` for to_tsquery, or null when nothing searchable is left. */
export function tsQueryText(input: string): string | null {
  // Only letters and digits survive, so nothing can break out of the quotes.
  const words = input
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 && w.length >= PREFIX_MIN ? `'${w}':*` : `'${w}'`)).join(" & ");
}

/** "123" or "#123": a ticket number (a bare number is also searched as a word). */
function ticketNumber(input: string): { number: number; only: boolean } | null {
  const m = /^\s*(#)?\s*(\d{1,9})\s*$/.exec(input);
  if (!m) return null;
  return { number: Number(m[2]), only: !!m[1] };
}

/**
 * The search as a condition on `"Ticket" t`. Requesters are found through User_search_idx first
 * (ARRAY: computed once), their tickets through Ticket(requesterId, createdAt); words through
 * Ticket_searchVector_idx. The expression over "User" is the index's, verbatim.
 */
export function searchCondition(input: string): SqlQuery | null {
  const num = ticketNumber(input);
  if (num?.only) return sql`t.number = ${num.number}`;
  const text = tsQueryText(input);
  if (!text && !num) return null;
  const q = sql`to_tsquery('vt_simple', ${text ?? ""})`;
  const words = text
    ? sql`(t."searchVector" @@ ${q} OR t."requesterId" = ANY(ARRAY(
        SELECT u.id FROM "User" u
        WHERE to_tsvector('vt_simple'::regconfig, COALESCE(u.name, '') || ' ' || u.email || ' ' || translate(u.email, '@._-+', '     ')) @@ ${q})))`
    : null;
  if (num && words) return sql`(t.number = ${num.number} OR ${words})`;
  return num ? sql`t.number = ${num.number}` : words;
}
