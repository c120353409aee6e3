import type { Deps } from "../deps";
import { optionsOf } from "./field-value";

/** The active custom fields, in their order: what the agent's workspace offers to fill in. */
export async function listCustomFields(deps: Pick<Deps, "db">) {
  const rows = await deps.db.customFieldDefinition.findMany({
    where: { active: true },
    orderBy: [{ position: "asc" }, { key: "asc" }],
    select: { id: true, key: true, labelEs: true, labelEn: true, type: true, options: true, required: true },
  });
  return rows.map((r) => ({ ...r, options: optionsOf(r.options) }));
}
