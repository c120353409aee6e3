/** A short random tag for names, addresses and slugs, so tests running side by side, or a rerun against the same database (e.g. --repeat-each), never meet each other's rows. */
export const uniq = (): string => Math.random().toString(36).slice(2, 7);
