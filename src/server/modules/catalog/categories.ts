import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isUniqueViolation } from "~/server/db/errors";
import { AppError } from "~/server/errors";
import type { Deps } from "../deps";
import { slugify } from "../kb/slug";

const name = z.string().trim().max(80, "CATEGORY_NAME_REQUIRED");
export const categoryId = z.strictObject({ id: z.string().min(1).max(64) });

export const createCategoryInput = z.strictObject({ nameEs: name, nameEn: name, usesProducts: z.boolean().default(false) });
export const updateCategoryInput = z.strictObject({
  id: z.string().min(1).max(64),
  nameEs: name.optional(),
  nameEn: name.optional(),
  active: z.boolean().optional(),
  usesProducts: z.boolean().optional(),
});
export const moveInput = z.strictObject({ id: z.string().min(1).max(64), direction: z.enum(["up", "down"]) });

const adminSelect = { id: true, slug: true, nameEs: true, nameEn: true, active: true, position: true, usesProducts: true } as const;

/** Every category, active or not, in the order the new-ticket form offers them; with how many fields each carries. */
export async function listCategoriesAdmin(deps: Pick<Deps, "db">) {
  const rows = await deps.db.category.findMany({
    orderBy: [{ position: "asc" }, { nameEs: "asc" }],
    select: { ...adminSelect, _count: { select: { customFields: { where: { active: true } } } } },
  });
  return rows.map(({ _count, ...c }) => ({ ...c, fieldCount: _count.customFields }));
}

export async function getCategoryAdmin(deps: Pick<Deps, "db">, id: string) {
  const row = await deps.db.category.findUnique({ where: { id }, select: adminSelect });
  if (!row) throw new AppError("CATEGORY_NOT_FOUND");
  return row;
}

async function nameTaken(deps: Pick<Deps, "db">, nameEs: string | undefined, except: string | null) {
  if (!nameEs) return false;
  const other = await deps.db.category.findFirst({ where: { nameEs: { equals: nameEs, mode: "insensitive" }, ...(except && { id: { not: except } }) }, select: { id: true } });
  return !!other;
}

/** A new category, last in the order; its slug (routing rules, SLA conditions) from the Spanish name, made unique. */
export async function createCategory(deps: Pick<Deps, "db">, raw: z.input<typeof createCategoryInput>) {
  const input = createCategoryInput.parse(raw);
  if (!input.nameEs || !input.nameEn) throw new AppError("CATEGORY_NAME_REQUIRED");
  if (await nameTaken(deps, input.nameEs, null)) throw new AppError("CATEGORY_NAME_TAKEN");
  const last = await deps.db.category.aggregate({ _max: { position: true } });
  const base = slugify(input.nameEs);
  for (const slug of [base, `${base}-${randomUUID().slice(0, 6)}`]) {
    try {
      return await deps.db.category.create({ data: { ...input, slug, position: (last._max.position ?? 0) + 1 }, select: adminSelect });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new AppError("CATEGORY_NAME_TAKEN");
}

/** Rename, switch on or off (tickets and their values stay), or ask for products. */
export async function updateCategory(deps: Pick<Deps, "db">, raw: z.input<typeof updateCategoryInput>) {
  const { id, ...data } = updateCategoryInput.parse(raw);
  if (data.nameEs === "" || data.nameEn === "") throw new AppError("CATEGORY_NAME_REQUIRED");
  await getCategoryAdmin(deps, id);
  if (await nameTaken(deps, data.nameEs, id)) throw new AppError("CATEGORY_NAME_TAKEN");
  return deps.db.category.update({ where: { id }, data, select: adminSelect });
}

/**
 * Swaps an item with its neighbour in an ordered list. Positions are renumbered 1..n first, so rows
 * sharing a position (seeded ones, all 0) still move one step.
 */
export async function moveInOrder(
  ids: string[],
  id: string,
  direction: "up" | "down",
  write: (id: string, position: number) => Promise<unknown>,
): Promise<void> {
  const at = ids.indexOf(id);
  const to = direction === "up" ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= ids.length) return;
  [ids[at], ids[to]] = [ids[to]!, ids[at]!];
  for (const [i, each] of ids.entries()) await write(each, i + 1);
}

export async function moveCategory(deps: Pick<Deps, "db">, raw: z.input<typeof moveInput>) {
  const input = moveInput.parse(raw);
  await deps.db.$transaction(async (tx) => {
    const rows = await tx.category.findMany({ orderBy: [{ position: "asc" }, { nameEs: "asc" }], select: { id: true } });
    if (!rows.some((r) => r.id === input.id)) throw new AppError("CATEGORY_NOT_FOUND");
    await moveInOrder(rows.map((r) => r.id), input.id, input.direction, (id, position) => tx.category.update({ where: { id }, data: { position } }));
  });
}
