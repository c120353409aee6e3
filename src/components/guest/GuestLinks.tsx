import type { T } from "~/i18n";
import { GUEST_FORGOT_ID_PATH, GUEST_NEW_TICKET_PATH, GUEST_TRACKING_PATH } from "~/shared/guest-paths";

/** Seed 001's way in without an account: send a ticket, look one up, recover a tracking ID. */
export function GuestLinks({ t }: { t: T }) {
  return (
    <nav className="guest-links" aria-label={t("guest.links.heading")}>
      <h2>{t("guest.links.heading")}</h2>
      <ul className="plain">
        <li>
          <a href={GUEST_NEW_TICKET_PATH}>{t("guest.links.newTicket")}</a>
        </li>
        <li>
          <a href={GUEST_TRACKING_PATH}>{t("guest.links.tracking")}</a>
        </li>
        <li>
          <a href={GUEST_FORGOT_ID_PATH}>{t("guest.links.forgot")}</a>
        </li>
      </ul>
    </nav>
  );
}
