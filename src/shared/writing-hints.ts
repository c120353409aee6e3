/**
 * Gentle writing help under a message box (seed 003's netiquette, seed 001): what a support team
 * asks of every message, customer's and agent's alike. Pure and isomorphic: the box calls it on every
 * change. Each hint is a nudge, never a refusal: sending is never blocked.
 */
export type WritingHint = "shouting" | "punctuation" | "contact" | "tooShort";

export const WRITING_HINTS: readonly WritingHint[] = ["shouting", "punctuation", "contact", "tooShort"];

/** Below either, a message rarely says enough to act on ("no funciona", "ayuda"). */
export const MIN_CHARS = 20;
export const MIN_WORDS = 4;

const LETTER = /\p{L}/gu;
const UPPER = /\p{Lu}/gu;
const WORD = /[\p{L}\p{N}]+/gu;
// "!!!", "???", "¡¡¡", "¿???", "?!?!" — three or more of them in a row (one or two is ordinary Spanish: "¿¡Cómo!?").
const PUNCTUATION_RUN = /[!¡?¿]{3,}/u;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/u;
// A phone as written in a message: 9+ digits, optionally +prefix, grouped by spaces, dots, dashes or parentheses.
const PHONE = /(?:\+|\b)\d(?:[\s.()-]{0,2}\d){8,}\b/u;

/**
 * Which hints a draft earns, in a fixed order. Empty text earns none (nothing written yet).
 * - shouting: mostly capitals (over 60% of the letters), with more than a lone acronym in capitals.
 * - punctuation: a run of three or more ! ¡ ? ¿.
 * - contact: a mail address or a phone number in the body (they belong in the profile or the
 *   ticket's fields: a thread is read by many and stays in mails).
 * - tooShort: under MIN_CHARS characters or MIN_WORDS words.
 */
export function writingHints(text: string): WritingHint[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const hints: WritingHint[] = [];
  if (isShouting(trimmed)) hints.push("shouting");
  if (PUNCTUATION_RUN.test(trimmed)) hints.push("punctuation");
  if (EMAIL.test(trimmed) || PHONE.test(trimmed)) hints.push("contact");
  const words = trimmed.match(WORD)?.length ?? 0;
  if ([...trimmed].length < MIN_CHARS || words < MIN_WORDS) hints.push("tooShort");
  return hints;
}

function isShouting(text: string): boolean {
  const words = text.match(/\p{L}+/gu) ?? [];
  const letters = words.join("");
  const all = letters.match(LETTER)?.length ?? 0;
  const upper = letters.match(UPPER)?.length ?? 0;
  const capsWords = words.filter((w) => w.length >= 2 && w === w.toUpperCase() && w !== w.toLowerCase());
  // An acronym ("VPN", "HP", "SAP") is one short word in capitals: shouting takes a word of four or
  // more letters in capitals, and either several such words or nothing else ("AYUDA").
  return all >= 4 && upper / all > 0.6 && capsWords.some((w) => w.length >= 4) && (capsWords.length >= 2 || words.length === 1);
}
