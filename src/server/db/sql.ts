import { createHash, randomBytes } from "node:crypto";

export class SqlQuery {
  constructor(
    readonly text: string,
    readonly values: unknown[],
  ) {}

  /**
   * `pg` prepares a named statement once per connection and then only binds values: PostgreSQL
   * skips parsing (and, after a few runs, planning) the long mail-intake statements. The text never
   * depends on the values (arrays are single parameters), so the names stay few.
   */
  get name(): string {
    this.cachedName ??= statementName(this.text);
    return this.cachedName;
  }

  // A plain property, not #private: pg clones query objects (prototype and own properties only).
  private cachedName: string | undefined;
}

/** Statement names by text: the texts are few (written in the code), the requests many. */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `vt_${createHash("sha1").update(text).digest("base64url").slice(0, 24)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

/** A piece of SQL text written in the code (never user input), spliced as it is. */
class Fragment {
  constructor(readonly text: string) {}
}
export const fragment = (text: string) => new Fragment(text);

/**
 * `sql\`SELECT … WHERE id = ${id}\`` → a parameterized query for `pg` ($1, $2, …); values are never
 * spliced into the text, only `fragment`s and nested `sql` queries (their parameters renumbered)
 * are. Dates go as ISO strings: `timestamp(3)` columns hold UTC, as Prisma writes them.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  let text = strings[0]!;
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof Fragment) text += v.text;
    else if (v instanceof SqlQuery) {
      const offset = params.length;
      params.push(...v.values);
      text += v.text.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
    } else text += `$${params.push(v instanceof Date ? v.toISOString() : v)}`;
    text += strings[i + 1];
  });
  return new SqlQuery(text, params);
}

/**
 * A new row id shaped like Prisma's cuid (`c` + 24 lower-case base-36 characters), for rows
 * inserted with plain SQL: time-ordered like a cuid (the same 8-character time prefix, so rows of
 * both kinds sort by time together, as the history does on equal timestamps), then about 82 random bits.
 */
export function newId(): string {
  const time = Date.now().toString(36).padStart(8, "0");
  const random = BigInt(`0x${randomBytes(12).toString("hex")}`).toString(36).padStart(19, "0").slice(-16);
  return `c${time}${random}`;
}
