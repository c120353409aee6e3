import type { ReactNode } from "react";
import { getRequestLocale } from "~/i18n/server";
import { translator } from "~/i18n";
import { getCurrentActor } from "~/server/auth/current-actor";
import { SiteHeader } from "~/components/nav/SiteHeader";
import { NotificationBell } from "~/components/notifications/NotificationBell";
import { isStaff } from "~/shared/enums";
import { liveSettingsNow } from "~/server/live-settings-now";
import { Providers } from "./providers";
import "./globals.css";
import "./styles/portal-list.css";
import "./styles/polish.css";
import "./styles/attachments.css";
import "./styles/people.css";
import "./styles/catalog.css";
import "./styles/guest.css";
import "./styles/reports.css";
import "./styles/site-settings.css";

export const metadata = { title: "Ventanilla" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getRequestLocale();
  const t = translator(locale);
  const [actor, live] = await Promise.all([getCurrentActor(), liveSettingsNow()]);
  // Someone without a zone of their own sees the team's default zone once an admin set one (else the browser's).
  const timeZone = actor?.timeZone ?? (live?.stored.has("defaultTimeZone") ? live.site.defaultTimeZone : undefined);
  return (
    <html lang={locale}>
      <body>
        <Providers locale={locale} timeZone={timeZone}>
          <a className="skip-link" href="#main">
            {t("siteMenu.skipToContent")}
          </a>
          <SiteHeader actor={actor} t={t} tools={actor && !isStaff(actor.role) ? <NotificationBell ticketsPath="/portal/tickets" /> : undefined} />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
