import type { Deps } from "../deps";

/** The active categories in the order admins set (/admin/categorias): the new-ticket form starts with them. */
export function listCategories(deps: Pick<Deps, "db">) {
  return deps.db.category.findMany({
    where: { active: true },
    select: { id: true, slug: true, nameEs: true, nameEn: true, usesProducts: true },
    orderBy: [{ position: "asc" }, { nameEs: "asc" }],
  });
}
