import { z } from "zod";
import type { CustomFieldType } from "~/shared/enums";

/** A dropdown's choices, as CustomFieldDefinition.options holds them. */
export const fieldOptions = z.array(z.object({ value: z.string().min(1).max(100), labelEs: z.string(), labelEn: z.string() }));
export type FieldOption = z.infer<typeof fieldOptions>[number];

/** The options of a definition; anything else stored there (hand-edited JSON) offers no choice rather than failing every read. */
export function optionsOf(raw: unknown): FieldOption[] {
  const parsed = fieldOptions.safeParse(raw);
  return parsed.success ? parsed.data : [];
}

export const TEXT_VALUE_MAX = 1000;
const NUMBER_LIMIT = 1e12;

/** What an agent sends for a field; null clears it. */
export const rawFieldValue = z.union([z.string().max(TEXT_VALUE_MAX * 2), z.number(), z.boolean(), z.null()]);
export type RawFieldValue = z.infer<typeof rawFieldValue>;
export type FieldValue = string | number | boolean;

interface Definition {
  type: CustomFieldType;
  options: unknown;
}

function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The value to store for a definition, by its type: "invalid" when it does not fit, null when it
 * clears the field (null, an empty text, an unset date or dropdown). Dates are calendar days
 * (YYYY-MM-DD, no time zone to shift them); a dropdown takes one of its options' values.
 */
export function normalizeFieldValue(def: Definition, raw: RawFieldValue): FieldValue | null | "invalid" {
  if (raw === null) return null;
  switch (def.type) {
    case "TEXT": {
      if (typeof raw !== "string") return "invalid";
      const text = raw.trim();
      if (text.length > TEXT_VALUE_MAX) return "invalid";
      return text || null;
    }
    case "NUMBER": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim().replace(",", ".")) : Number.NaN;
      if (typeof raw === "string" && raw.trim() === "") return null;
      return Number.isFinite(n) && Math.abs(n) <= NUMBER_LIMIT ? n : "invalid";
    }
    case "DATE":
      if (typeof raw !== "string") return "invalid";
      if (raw === "") return null;
      return isCalendarDate(raw) ? raw : "invalid";
    case "SELECT":
      if (typeof raw !== "string") return "invalid";
      if (raw === "") return null;
      return optionsOf(def.options).some((o) => o.value === raw) ? raw : "invalid";
    case "BOOLEAN":
      return typeof raw === "boolean" ? raw : "invalid";
  }
}

/** The value as "Movimientos" records it (rendered per type by the page). */
export function eventText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Selects what pages need of a definition (with `shapeField` to read its options). */
export const fieldShapeSelect = { id: true, key: true, labelEs: true, labelEn: true, type: true, options: true } as const;

export function shapeField<F extends { options: unknown }>(field: F): Omit<F, "options"> & { options: FieldOption[] } {
  return { ...field, options: optionsOf(field.options) };
}

/** A ticket's stored values as pages get them; a value in no shape a field can hold (hand-written JSON) is left out. */
export function shapeValues<F extends { options: unknown }>(values: Array<{ value: unknown; field: F }>) {
  return values.flatMap(({ value, field }) =>
    typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? [{ value, field: shapeField(field) }] : [],
  );
}
