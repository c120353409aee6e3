"use client";
import { useId, useState, type FormEvent } from "react";
import { useI18n } from "~/i18n/react";
import { CUSTOM_FIELD_TYPES, type CustomFieldType } from "~/shared/enums";
import type { AdminField } from "~/shared/schemas/catalog";

export interface FieldDraft {
  labelEs: string;
  labelEn: string;
  type: CustomFieldType;
  required: boolean;
  helpTextEs: string;
  helpTextEn: string;
  options: Array<{ value?: string; labelEs: string; labelEn: string }>;
}

/**
 * Creates or edits one custom field of a category. The type is chosen once (stored values were
 * checked by it); a dropdown's options are edited in both languages, each keeping its stored value.
 */
export function FieldForm({ field, onSave, onCancel, pending }: { field?: AdminField; onSave: (d: FieldDraft) => Promise<boolean>; onCancel?: () => void; pending: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [type, setType] = useState<CustomFieldType>(field?.type ?? "TEXT");
  const [options, setOptions] = useState<FieldDraft["options"]>(field?.options.length ? field.options : [{ labelEs: "", labelEn: "" }]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const ok = await onSave({
      labelEs: String(f.get("labelEs") ?? ""),
      labelEn: String(f.get("labelEn") ?? ""),
      type,
      required: f.get("required") === "on",
      helpTextEs: String(f.get("helpTextEs") ?? ""),
      helpTextEn: String(f.get("helpTextEn") ?? ""),
      options: type === "SELECT" ? options : [],
    });
    if (ok && !field) {
      form.reset();
      setType("TEXT");
      setOptions([{ labelEs: "", labelEn: "" }]);
    }
  }

  const setOption = (i: number, key: "labelEs" | "labelEn", value: string) => setOptions((list) => list.map((o, j) => (j === i ? { ...o, [key]: value } : o)));

  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{field ? `${t("catalog.rename")}: ${field.labelEs}` : t("catalog.newField")}</h2>
      <div className="row">
        <label>
          {t("catalog.labelEs")} *
          <input name="labelEs" defaultValue={field?.labelEs} required aria-required="true" maxLength={120} />
        </label>
        <label>
          {t("catalog.labelEn")} *
          <input name="labelEn" defaultValue={field?.labelEn} required aria-required="true" maxLength={120} />
        </label>
        <label>
          {t("catalog.type")}
          <select name="type" value={type} disabled={!!field} onChange={(e) => setType(e.target.value as CustomFieldType)}>
            {CUSTOM_FIELD_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`catalog.types.${ty}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" name="required" defaultChecked={field?.required} /> {t("catalog.required")}
        </label>
      </div>
      <div className="row">
        <label>
          {t("catalog.helpTextEs")}
          <input name="helpTextEs" defaultValue={field?.helpTextEs ?? ""} maxLength={500} />
        </label>
        <label>
          {t("catalog.helpTextEn")}
          <input name="helpTextEn" defaultValue={field?.helpTextEn ?? ""} maxLength={500} />
        </label>
      </div>
      {type === "SELECT" && (
        <fieldset className="stack">
          <legend>{t("catalog.options")}</legend>
          {options.map((o, i) => (
            <div className="row" key={i}>
              <label>
                {t("catalog.optionEs", { n: i + 1 })}
                <input value={o.labelEs} onChange={(e) => setOption(i, "labelEs", e.target.value)} maxLength={100} required />
              </label>
              <label>
                {t("catalog.optionEn", { n: i + 1 })}
                <input value={o.labelEn} onChange={(e) => setOption(i, "labelEn", e.target.value)} maxLength={100} required />
              </label>
              {options.length > 1 && (
                <button type="button" onClick={() => setOptions((list) => list.filter((_, j) => j !== i))}>
                  {t("catalog.removeOption", { n: i + 1 })}
                </button>
              )}
            </div>
          ))}
          <div>
            <button type="button" onClick={() => setOptions((list) => [...list, { labelEs: "", labelEn: "" }])}>
              {t("catalog.addOption")}
            </button>
          </div>
        </fieldset>
      )}
      <div className="row">
        <button type="submit" disabled={pending}>
          {field ? t("catalog.save") : t("catalog.create")}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t("catalog.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
