"use client";
import { useI18n } from "~/i18n/react";
import type { MessageKey } from "~/i18n";
import { PASSWORD_MIN } from "~/shared/enums";

/** A new password typed twice, with the rule as a hint and each field's own error beside it. */
export function PasswordFields({ idPrefix, labels, fieldErrors }: { idPrefix: string; labels: { password: MessageKey; confirm: MessageKey; hint: MessageKey }; fieldErrors: Record<string, string[]> }) {
  const { t } = useI18n();
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-password`}>{t(labels.password)}</label>
        <input
          id={`${idPrefix}-password`}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          aria-invalid={!!fieldErrors.password}
          aria-describedby={`${idPrefix}-password-hint`}
        />
        <span id={`${idPrefix}-password-hint`} className={fieldErrors.password ? "error" : "muted"}>
          {fieldErrors.password?.[0] ?? t(labels.hint, { min: PASSWORD_MIN })}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-password-confirm`}>{t(labels.confirm)}</label>
        <input
          id={`${idPrefix}-password-confirm`}
          name="passwordConfirm"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={!!fieldErrors.passwordConfirm}
          aria-describedby={fieldErrors.passwordConfirm ? `${idPrefix}-password-confirm-error` : undefined}
        />
        {fieldErrors.passwordConfirm && (
          <span id={`${idPrefix}-password-confirm-error`} className="error">
            {fieldErrors.passwordConfirm[0]}
          </span>
        )}
      </div>
    </>
  );
}

export type ErrorData = { fieldErrors?: Record<string, string[]> | null; appCode?: string | null } | undefined;
