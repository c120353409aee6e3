import { z } from "zod";
import { CUSTOM_FIELD_TYPES } from "~/shared/enums";
import { customFieldOption } from "./custom-fields";

/** catalog.categories (admin): every category, with how many active fields it carries. */
export const adminCategory = z.object({
  id: z.string(),
  slug: z.string(),
  nameEs: z.string(),
  nameEn: z.string(),
  active: z.boolean(),
  position: z.number().int(),
  usesProducts: z.boolean(),
});
export const adminCategories = z.array(adminCategory.extend({ fieldCount: z.number().int() }));
export type AdminCategory = z.infer<typeof adminCategories>[number];

/** catalog.fields (admin): a category's fields, inactive ones too. */
export const adminField = z.object({
  id: z.string(),
  key: z.string(),
  categoryId: z.string().nullable(),
  labelEs: z.string(),
  labelEn: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(customFieldOption),
  required: z.boolean(),
  active: z.boolean(),
  position: z.number().int(),
  helpTextEs: z.string().nullable(),
  helpTextEn: z.string().nullable(),
});
export const adminFields = z.array(adminField);
export type AdminField = z.infer<typeof adminField>;

export const adminProduct = z.object({ id: z.string(), name: z.string(), active: z.boolean() });
export const adminProducts = z.array(adminProduct);
export type AdminProduct = z.infer<typeof adminProduct>;

/** catalog.searchProducts: what the lookup offers. */
export const productMatches = z.array(z.object({ id: z.string(), name: z.string() }));
