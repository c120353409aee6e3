"use client";
import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";

/**
 * "Are you sure?" before a destructive step, as a modal alert dialog (Radix Dialog): focus moves to
 * the safe choice and is trapped, Esc cancels, a click outside does nothing, and focus returns to
 * the control that opened it when it closes.
 */
export function ConfirmDialog({
  open,
  message,
  details,
  confirmLabel,
  cancelLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  message: ReactNode;
  details?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && !busy && onCancel()}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-overlay" />
        <Dialog.Content role="alertdialog" className="modal confirm" onPointerDownOutside={(e) => e.preventDefault()} aria-describedby={undefined}>
          <Dialog.Title asChild>
            <p>{message}</p>
          </Dialog.Title>
          {details}
          <div className="modal-actions">
            <button type="button" className="secondary" disabled={busy} onClick={onCancel} autoFocus>
              {cancelLabel}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
              {confirmLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
