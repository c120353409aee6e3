import type { ReactNode } from "react";
import { getRequestLocale } from "~/i18n/server";
import { translator } from "~/i18n";
import { getCurrentActor } from "~/server/auth/current-actor";
import { isStaff } from "~/shared/enums";
import { LanguagePicker } from "~/components/ui/LanguagePicker";
import { SignOutButton } from "~/components/ui/SignOutButton";
import { Providers } from "./providers";
import "./globals.css";
import "./styles/portal-list.css";

export const metadata = { title: "Ventanilla" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getRequestLocale();
  const t = translator(locale);
  const actor = await getCurrentActor();
  return (
    <html lang={locale}>
      <body>
        <Providers locale={locale}>
          <header className="top">
            <a className="brand" href="/">
              {t("app.name")} · {t("app.tagline")}
            </a>
            <nav aria-label={t("app.name")}>
              {actor && !isStaff(actor.role) && (
                <>
                  <a href="/portal">{t("nav.portal")}</a>
                  <a href="/portal/tickets/new">{t("nav.newTicket")}</a>
                  <a href="/portal/perfil">{t("nav.profile")}</a>
                </>
              )}
              {actor && isStaff(actor.role) && <a href="/agent">{t("nav.queue")}</a>}
              {/* Staff reach the articles they write; everyone else (signed out too) the public pages. */}
              <a href={actor && isStaff(actor.role) ? "/agent/kb" : "/kb"}>{t("nav.kb")}</a>
              {actor?.role === "ADMIN" && <a href="/admin/inbound">{t("nav.inbound")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/buzones-imap">{t("nav.imapMailboxes")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/mailbox">{t("nav.mailbox")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/kb/sinonimos">{t("nav.synonyms")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/sla">{t("nav.sla")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/respuestas">{t("nav.cannedReplies")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/equipos">{t("nav.teams")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/ajustes">{t("accounts.nav")}</a>}
              {actor?.role === "ADMIN" && <a href="/admin/evaluaciones">{t("nav.evaluations")}</a>}
              {!actor && <a href="/login">{t("nav.signIn")}</a>}
              <LanguagePicker />
              {actor && <SignOutButton />}
            </nav>
          </header>
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
