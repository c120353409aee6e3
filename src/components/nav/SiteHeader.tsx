import type { ReactNode } from "react";
import type { T } from "~/i18n";
import type { Actor } from "~/server/modules/actor";
import { LanguagePicker } from "~/components/ui/LanguagePicker";
import { SignOutButton } from "~/components/ui/SignOutButton";
import { linksFor } from "./nav-links";
import { MenuSheet } from "./MenuSheet";
import { NavLinks } from "./NavLinks";

/**
 * The site header. Wide screens show the links inline; below 720 px (styles/polish.css) they fold
 * into the menu sheet. `tools` stay visible at every width (e.g. a notification bell).
 */
export function SiteHeader({ actor, t, tools }: { actor: Pick<Actor, "role"> | null; t: T; tools?: ReactNode }) {
  const links = linksFor(actor).map((l) => ({ href: l.href, label: t(l.label) }));
  const account = (
    <>
      <LanguagePicker signedIn={!!actor} />
      {actor && <SignOutButton />}
    </>
  );
  return (
    <header className="top">
      <a className="brand" href="/">
        {t("app.name")}
        <span className="brand-tagline"> · {t("app.tagline")}</span>
      </a>
      <nav className="nav-wide" aria-label={t("siteMenu.main")}>
        <NavLinks links={links} />
        {account}
      </nav>
      {tools && <div className="top-tools">{tools}</div>}
      <div className="nav-narrow">
        <MenuSheet links={links} footer={account} />
      </div>
    </header>
  );
}
