"use client";
import * as Dialog from "@radix-ui/react-dialog";
import { useState, type ReactNode } from "react";
import { useI18n } from "~/i18n/react";
import { NavLinks, type ResolvedLink } from "./NavLinks";

/**
 * The menu on narrow screens: a button that opens a side sheet (Radix Dialog: focus moves in and is
 * trapped, Esc or the close button closes it, focus returns to the button, the page behind is inert).
 */
export function MenuSheet({ links, footer }: { links: ResolvedLink[]; footer?: ReactNode }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className="secondary menu-button">
          <span aria-hidden="true" className="menu-icon" />
          {t("siteMenu.menu")}
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="sheet-overlay" />
        <Dialog.Content className="sheet" aria-describedby={undefined}>
          <div className="sheet-head">
            <Dialog.Title className="sheet-title">{t("siteMenu.menu")}</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="secondary small">
                {t("siteMenu.closeMenu")}
              </button>
            </Dialog.Close>
          </div>
          <nav aria-label={t("siteMenu.main")}>
            <NavLinks links={links} onNavigate={() => setOpen(false)} />
          </nav>
          {footer && <div className="sheet-footer">{footer}</div>}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
