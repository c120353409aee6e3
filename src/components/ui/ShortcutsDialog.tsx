"use client";
import * as Dialog from "@radix-ui/react-dialog";
import { Fragment } from "react";
import { useI18n } from "~/i18n/react";
import type { Shortcut } from "./useShortcuts";

/**
 * The `?` help: a modal dialog (Radix Dialog) listing a page's shortcuts. Focus is trapped inside,
 * Esc closes it, the page behind is inert, and focus returns to where it was on close.
 */
export function ShortcutsDialog({ shortcuts, open, onClose }: { shortcuts: Pick<Shortcut, "keys" | "description" | "label">[]; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-overlay" />
        <Dialog.Content className="modal shortcuts-dialog" aria-describedby={undefined}>
          <Dialog.Title>{t("shortcuts.title")}</Dialog.Title>
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
          <div className="modal-actions">
            <Dialog.Close asChild>
              <button type="button" autoFocus>
                {t("shortcuts.close")}
              </button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
