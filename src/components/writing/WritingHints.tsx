"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { useI18n } from "~/i18n/react";
import { writingHints, type WritingHint } from "~/shared/writing-hints";
import { useFormField } from "./useFormField";

/**
 * Gentle, dismissible writing hints under a message box (seed 003's netiquette; for customers and
 * agents alike). Give it the draft (`text`) or the name of the form field to follow (`field`). A hint
 * dismissed stays dismissed for this draft: until the box is emptied (sent, or cleared) it does not
 * come back. Never blocks sending; read out politely (aria-live) as hints appear.
 */
export function WritingHints({ text, field }: { text?: string; field?: string }) {
  const { t } = useI18n();
  const anchor = useRef<HTMLDivElement>(null);
  const fieldValue = useFormField(anchor, text === undefined ? field : undefined);
  const draft = text ?? fieldValue;
  const [dismissed, setDismissed] = useState<ReadonlySet<WritingHint>>(new Set());
  const empty = draft.trim() === "";
  // A new draft begins when the box is emptied: what was dismissed for the last one may apply again.
  useEffect(() => {
    if (empty) setDismissed(new Set());
  }, [empty]);
  const hints = useMemo(() => writingHints(draft).filter((h) => !dismissed.has(h)), [draft, dismissed]);

  return (
    <div ref={anchor} className="writing-hints" aria-live="polite" aria-label={t("writing.region")} role="region">
      {hints.length > 0 && (
        <ul className="plain stack">
          {hints.map((h) => (
            <li key={h} className="writing-hint" data-hint={h}>
              <span>{t(`writing.hints.${h}`)}</span>
              <button type="button" className="secondary small" aria-label={t("writing.dismiss", { hint: t(`writing.names.${h}`) })} onClick={() => setDismissed((d) => new Set(d).add(h))}>
                {t("writing.dismissShort")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
