import { z } from "zod";
import {
  categoryId,
  createCategory,
  createCategoryInput,
  getCategoryAdmin,
  listCategoriesAdmin,
  moveCategory,
  moveInput,
  updateCategory,
  updateCategoryInput,
} from "~/server/modules/catalog/categories";
import { createField, createFieldInput, listCategoryFields, moveField, updateField, updateFieldInput } from "~/server/modules/catalog/fields";
import {
  createProduct,
  createProductInput,
  listProducts,
  listProductsInput,
  searchProducts,
  searchProductsInput,
  updateProduct,
  updateProductInput,
} from "~/server/modules/catalog/products";
import { listCategoryFormFields } from "~/server/modules/custom-fields/list-fields";
import * as out from "~/shared/schemas/catalog";
import { customFieldList } from "~/shared/schemas/custom-fields";
import { adminProcedure, authedProcedure, router } from "../trpc";

const ok = z.object({ ok: z.literal(true) });

/** Categories, products and their custom fields: managed by admins (/admin/categorias, /admin/productos), read by the new-ticket form. */
export const catalogRouter = router({
  // The new-ticket form: a category's fields once chosen, and the product lookup as the customer types.
  formFields: authedProcedure.input(categoryId).output(customFieldList).query(({ ctx, input }) => listCategoryFormFields(ctx.deps, input.id)),
  searchProducts: authedProcedure.input(searchProductsInput).output(out.productMatches).query(({ ctx, input }) => searchProducts(ctx.deps, input)),

  categories: adminProcedure.output(out.adminCategories).query(({ ctx }) => listCategoriesAdmin(ctx.deps)),
  category: adminProcedure.input(categoryId).output(out.adminCategory).query(({ ctx, input }) => getCategoryAdmin(ctx.deps, input.id)),
  createCategory: adminProcedure.input(createCategoryInput).output(out.adminCategory).mutation(({ ctx, input }) => createCategory(ctx.deps, input)),
  updateCategory: adminProcedure.input(updateCategoryInput).output(out.adminCategory).mutation(({ ctx, input }) => updateCategory(ctx.deps, input)),
  moveCategory: adminProcedure.input(moveInput).output(ok).mutation(async ({ ctx, input }) => (await moveCategory(ctx.deps, input), { ok: true as const })),

  fields: adminProcedure.input(categoryId).output(out.adminFields).query(({ ctx, input }) => listCategoryFields(ctx.deps, input.id)),
  createField: adminProcedure.input(createFieldInput).output(out.adminField).mutation(({ ctx, input }) => createField(ctx.deps, input)),
  updateField: adminProcedure.input(updateFieldInput).output(out.adminField).mutation(({ ctx, input }) => updateField(ctx.deps, input)),
  moveField: adminProcedure.input(moveInput).output(ok).mutation(async ({ ctx, input }) => (await moveField(ctx.deps, input), { ok: true as const })),

  products: adminProcedure.input(listProductsInput).output(out.adminProducts).query(({ ctx, input }) => listProducts(ctx.deps, input)),
  createProduct: adminProcedure.input(createProductInput).output(out.adminProduct).mutation(({ ctx, input }) => createProduct(ctx.deps, input)),
  updateProduct: adminProcedure.input(updateProductInput).output(out.adminProduct).mutation(({ ctx, input }) => updateProduct(ctx.deps, input)),
});
