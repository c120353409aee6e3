export {
  fieldOptions,
  optionsOf,
  TEXT_VALUE_MAX,
  rawFieldValue,
  normalizeFieldValue,
  checkFieldValue,
  checkFieldValues,
  type FieldOption,
  type RawFieldValue,
  type FieldValue,
} from "~/shared/custom-field-rules";
import { optionsOf, type FieldOption } from "~/shared/custom-field-rules";

/** The value as "Movimientos" records it (rendered per type by the page). */
export function eventText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Selects what pages need of a definition (with `shapeField` to read its options). */
export const fieldShapeSelect = { id: true, key: true, labelEs: true, labelEn: true, type: true, options: true, helpTextEs: true, helpTextEn: true } as const;

export function shapeField<F extends { options: unknown }>(field: F): Omit<F, "options"> & { options: FieldOption[] } {
  return { ...field, options: optionsOf(field.options) };
}

/** A ticket's stored values as pages get them; a value in no shape a field can hold (hand-written JSON) is left out. */
export function shapeValues<F extends { options: unknown }>(values: Array<{ value: unknown; field: F }>) {
  return values.flatMap(({ value, field }) =>
    typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? [{ value, field: shapeField(field) }] : [],
  );
}
