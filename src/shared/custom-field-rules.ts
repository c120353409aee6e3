import { z } from "zod";
import type { CustomFieldType } from "./enums";

/**
 * The rules of a custom field's value, in one module used by the new-ticket form (in the browser, to
 * show errors before sending), by the server's create path and by the agent's set-field path: a value
 * the browser accepts is one the server stores, and the same words explain a refusal.
 */

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

/** What a form or an agent sends for a field; null clears it. */
export const rawFieldValue = z.union([z.string().max(TEXT_VALUE_MAX * 2), z.number(), z.boolean(), z.null()]);
export type RawFieldValue = z.infer<typeof rawFieldValue>;
export type FieldValue = string | number | boolean;

export interface FieldRule {
  type: CustomFieldType;
  options: unknown;
  required?: boolean;
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
export function normalizeFieldValue(def: FieldRule, raw: RawFieldValue): FieldValue | null | "invalid" {
  if (raw === null) return null;
  switch (def.type) {
    case "TEXT": {
      if (typeof raw !== "string") return "invalid";
      const text = raw.trim();
      if (text.length > TEXT_VALUE_MAX) return "invalid";
      return text || null;
    }
    case "NUMBER": {
      if (typeof raw === "string" && raw.trim() === "") return null;
      const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim().replace(",", ".")) : Number.NaN;
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

/**
 * A required checkbox must be ticked (a consent: "I confirm the device is under warranty"); any other
 * required field must hold a value.
 */
function missing(def: FieldRule, value: FieldValue | null): boolean {
  return !!def.required && (value === null || (def.type === "BOOLEAN" && value === false));
}

export type FieldCheck = { ok: true; value: FieldValue | null } | { ok: false; code: "CUSTOM_FIELD_INVALID" | "CUSTOM_FIELD_MISSING" };

/** One field's value checked: its type, its dropdown's options, and whether it may stay empty. */
export function checkFieldValue(def: FieldRule, raw: RawFieldValue | undefined): FieldCheck {
  const value = normalizeFieldValue(def, raw ?? null);
  if (value === "invalid") return { ok: false, code: "CUSTOM_FIELD_INVALID" };
  if (missing(def, value)) return { ok: false, code: "CUSTOM_FIELD_MISSING" };
  return { ok: true, value };
}

export interface FieldsCheck {
  /** The values to store, one per field that holds one (empty ones are not stored). */
  values: Array<{ fieldId: string; value: FieldValue }>;
  /** Per field id, why its value is refused; "CUSTOM_FIELD_OTHER_CATEGORY" for an id that is none of `defs`. */
  errors: Record<string, "CUSTOM_FIELD_INVALID" | "CUSTOM_FIELD_MISSING" | "CUSTOM_FIELD_OTHER_CATEGORY">;
}

/** All the fields of a new ticket's category at once (every one checked, so the form shows every error together). */
export function checkFieldValues(defs: Array<FieldRule & { id: string }>, raw: Record<string, RawFieldValue>): FieldsCheck {
  const out: FieldsCheck = { values: [], errors: {} };
  const known = new Set(defs.map((d) => d.id));
  for (const id of Object.keys(raw)) if (!known.has(id)) out.errors[id] = "CUSTOM_FIELD_OTHER_CATEGORY";
  for (const def of defs) {
    const res = checkFieldValue(def, raw[def.id]);
    if (!res.ok) out.errors[def.id] = res.code;
    else if (res.value !== null) out.values.push({ fieldId: def.id, value: res.value });
  }
  return out;
}
