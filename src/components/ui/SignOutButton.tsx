"use client";
import { signOut } from "next-auth/react";
import { useI18n } from "~/i18n/react";

export function SignOutButton() {
  const { t } = useI18n();
  return (
    <button type="button" className="secondary" onClick={() => void signOut({ callbackUrl: "/login" })}>
      {t("nav.logout")}
    </button>
  );
}
