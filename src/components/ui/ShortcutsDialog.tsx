"use client";
import { Fragment, useEffect, useId, useRef } from "react";
import { useI18n } from "~/i18n/react";
import type { Shortcut } from "./useShortcuts";

/**
 * The `?` help: a modal native <dialog> listing a page's shortcuts. showModal() gives the focus
 * trap, Esc to close and the inert page behind it; focus returns to where it was on close.
 */
export function ShortcutsDialog({ shortcuts, open, onClose }: { shortcuts: Pick<Shortcut, "keys" | "description" | "label">[]; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="shortcuts-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{t("shortcuts.title")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("shortcuts.keys")}</th>
            <th scope="col">{t("shortcuts.action")}</th>
          </tr>
        </thead>
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.description}>
              <td>
                {s.label ? (
                  <kbd>{s.label}</kbd>
                ) : (
                  s.keys.map((k, i) => (
                    <Fragment key={k}>
                      {i > 0 && ` ${t("shortcuts.or")} `}
                      <kbd>{k}</kbd>
                    </Fragment>
                  ))
                )}
              </td>
              <td>{s.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t("shortcuts.notInFields")}</p>
      <form method="dialog">
        <button type="submit" autoFocus>
          {t("shortcuts.close")}
        </button>
      </form>
    </dialog>
  );
}
