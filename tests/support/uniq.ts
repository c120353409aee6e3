import { randomUUID } from "node:crypto";

/** A short random tag for names, addresses and slugs, so tests never collide with each other or a rerun. */
export const uniq = (): string => randomUUID().slice(0, 8);
