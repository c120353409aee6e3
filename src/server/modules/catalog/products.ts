import { z } from "zod";
import { isUniqueViolation } from "~/server/db/errors";
import { AppError } from "~/server/errors";
import type { Deps } from "../deps";

const name = z.string().trim().max(120, "PRODUCT_NAME_REQUIRED");
const select = { id: true, name: true, active: true } as const;

export const listProductsInput = z.strictObject({ q: z.string().trim().max(120).default(""), includeInactive: z.boolean().default(false) });
export const createProductInput = z.strictObject({ name });
export const updateProductInput = z.strictObject({ id: z.string().min(1).max(64), name: name.optional(), active: z.boolean().optional() });
export const searchProductsInput = z.strictObject({ q: z.string().trim().max(120) });

/** Admin list: by name, optionally only those matching a text. */
export function listProducts(deps: Pick<Deps, "db">, raw: z.input<typeof listProductsInput>) {
  const input = listProductsInput.parse(raw);
  return deps.db.product.findMany({
    where: { ...(input.q && { name: { contains: input.q, mode: "insensitive" } }), ...(!input.includeInactive && { active: true }) },
    orderBy: { name: "asc" },
    take: 200,
    select,
  });
}

/** The lookup as the customer types: active products whose name contains the text, names starting with it first. */
export async function searchProducts(deps: Pick<Deps, "db">, raw: z.input<typeof searchProductsInput>) {
  const { q } = searchProductsInput.parse(raw);
  const rows = await deps.db.product.findMany({
    where: { active: true, ...(q && { name: { contains: q, mode: "insensitive" } }) },
    orderBy: { name: "asc" },
    take: 50,
    select: { id: true, name: true },
  });
  const lower = q.toLowerCase();
  return rows.sort((a, b) => Number(!a.name.toLowerCase().startsWith(lower)) - Number(!b.name.toLowerCase().startsWith(lower))).slice(0, 10);
}

async function save<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("PRODUCT_NAME_TAKEN");
    throw err;
  }
}

export function createProduct(deps: Pick<Deps, "db">, raw: z.input<typeof createProductInput>) {
  const input = createProductInput.parse(raw);
  if (!input.name) throw new AppError("PRODUCT_NAME_REQUIRED");
  return save(() => deps.db.product.create({ data: input, select }));
}

/** Rename, or switch off (tickets keep their product; the lookup no longer offers it). */
export async function updateProduct(deps: Pick<Deps, "db">, raw: z.input<typeof updateProductInput>) {
  const { id, ...data } = updateProductInput.parse(raw);
  if (data.name === "") throw new AppError("PRODUCT_NAME_REQUIRED");
  if (!(await deps.db.product.findUnique({ where: { id }, select: { id: true } }))) throw new AppError("PRODUCT_NOT_FOUND");
  return save(() => deps.db.product.update({ where: { id }, data, select }));
}
