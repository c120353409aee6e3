import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "~/server/errors";
import { CUSTOM_FIELD_TYPES } from "~/shared/enums";
import { optionsOf } from "~/shared/custom-field-rules";
import type { Deps } from "../deps";
import { slugify } from "../kb/slug";
import { getCategoryAdmin, moveInOrder, moveInput } from "./categories";

const label = z.string().trim().max(120, "FIELD_LABEL_REQUIRED");
const help = z.string().trim().max(500).nullish();
const option = z.strictObject({ labelEs: z.string().trim().max(100), labelEn: z.string().trim().max(100), value: z.string().trim().max(100).optional() });

export const createFieldInput = z.strictObject({
  categoryId: z.string().min(1).max(64),
  labelEs: label,
  labelEn: label,
  type: z.enum(CUSTOM_FIELD_TYPES),
  required: z.boolean().default(false),
  helpTextEs: help,
  helpTextEn: help,
  options: z.array(option).max(100).default([]),
});
export const updateFieldInput = z.strictObject({
  id: z.string().min(1).max(64),
  labelEs: label.optional(),
  labelEn: label.optional(),
  required: z.boolean().optional(),
  active: z.boolean().optional(),
  helpTextEs: help,
  helpTextEn: help,
  options: z.array(option).max(100).optional(),
});

const select = {
  id: true, key: true, categoryId: true, labelEs: true, labelEn: true, type: true, options: true, required: true, active: true, position: true,
  helpTextEs: true, helpTextEn: true,
} as const;

function shape<T extends { options: unknown }>(row: T) {
  return { ...row, options: optionsOf(row.options) };
}

/**
 * A dropdown's options: both texts needed; an option keeps the value it was stored with (tickets hold
 * values, not texts, so renaming an option renames it everywhere); a new one gets a value from its
 * Spanish text, unique within the field.
 */
function normalizeOptions(list: Array<z.infer<typeof option>>) {
  if (list.length === 0 || list.some((o) => !o.labelEs || !o.labelEn)) throw new AppError("FIELD_OPTIONS_REQUIRED");
  const used = new Set<string>();
  return list.map((o) => {
    let value = o.value || slugify(o.labelEs).slice(0, 60) || "opcion";
    for (let i = 2; used.has(value); i++) value = `${o.value || slugify(o.labelEs).slice(0, 60)}-${i}`;
    used.add(value);
    return { value, labelEs: o.labelEs, labelEn: o.labelEn };
  });
}

/** A category's fields, inactive ones too (values stay on tickets; the form no longer asks). */
export async function listCategoryFields(deps: Pick<Deps, "db">, categoryId: string) {
  await getCategoryAdmin(deps, categoryId);
  const rows = await deps.db.customFieldDefinition.findMany({ where: { categoryId }, orderBy: [{ position: "asc" }, { key: "asc" }], select });
  return rows.map(shape);
}

export async function createField(deps: Pick<Deps, "db">, raw: z.input<typeof createFieldInput>) {
  const input = createFieldInput.parse(raw);
  if (!input.labelEs || !input.labelEn) throw new AppError("FIELD_LABEL_REQUIRED");
  await getCategoryAdmin(deps, input.categoryId);
  const options = input.type === "SELECT" ? normalizeOptions(input.options) : undefined;
  const last = await deps.db.customFieldDefinition.aggregate({ where: { categoryId: input.categoryId }, _max: { position: true } });
  const row = await deps.db.customFieldDefinition.create({
    data: {
      // The key names the field in exports and logs; unique across categories, so a suffix.
      key: `${slugify(input.labelEs).slice(0, 50)}-${randomUUID().slice(0, 8)}`,
      categoryId: input.categoryId,
      labelEs: input.labelEs,
      labelEn: input.labelEn,
      type: input.type,
      required: input.required,
      helpTextEs: input.helpTextEs || null,
      helpTextEn: input.helpTextEn || null,
      ...(options && { options }),
      position: (last._max.position ?? 0) + 1,
    },
    select,
  });
  return shape(row);
}

/** Relabel, require or not, help text, a dropdown's options, switch on or off. The type stays: stored values were checked by it. */
export async function updateField(deps: Pick<Deps, "db">, raw: z.input<typeof updateFieldInput>) {
  const { id, options, ...input } = updateFieldInput.parse(raw);
  if (input.labelEs === "" || input.labelEn === "") throw new AppError("FIELD_LABEL_REQUIRED");
  const current = await deps.db.customFieldDefinition.findUnique({ where: { id }, select: { type: true } });
  if (!current) throw new AppError("FIELD_NOT_FOUND");
  const data = {
    ...input,
    ...(input.helpTextEs !== undefined && { helpTextEs: input.helpTextEs || null }),
    ...(input.helpTextEn !== undefined && { helpTextEn: input.helpTextEn || null }),
    ...(options && current.type === "SELECT" && { options: normalizeOptions(options) }),
  };
  return shape(await deps.db.customFieldDefinition.update({ where: { id }, data, select }));
}

export async function moveField(deps: Pick<Deps, "db">, raw: z.input<typeof moveInput>) {
  const input = moveInput.parse(raw);
  await deps.db.$transaction(async (tx) => {
    const field = await tx.customFieldDefinition.findUnique({ where: { id: input.id }, select: { categoryId: true } });
    if (!field) throw new AppError("FIELD_NOT_FOUND");
    const rows = await tx.customFieldDefinition.findMany({ where: { categoryId: field.categoryId }, orderBy: [{ position: "asc" }, { key: "asc" }], select: { id: true } });
    await moveInOrder(rows.map((r) => r.id), input.id, input.direction, (id, position) => tx.customFieldDefinition.update({ where: { id }, data: { position } }));
  });
}
