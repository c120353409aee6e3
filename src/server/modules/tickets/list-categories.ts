import type { Deps } from "../deps";

export function listCategories(deps: Pick<Deps, "db">) {
  return deps.db.category.findMany({ where: { active: true }, select: { id: true, slug: true, nameEs: true, nameEn: true }, orderBy: { nameEs: "asc" } });
}
