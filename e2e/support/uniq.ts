/** A short random tag for names and slugs, so a rerun against the same database (e.g. --repeat-each) meets no leftovers. */
export const uniq = (): string => Math.random().toString(36).slice(2, 7);
