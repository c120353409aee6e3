import type { Locale } from "~/i18n";
import type { Role } from "~/shared/enums";

/** Who is acting: the signed-in user as the domain sees it. */
export interface Actor {
  id: string;
  role: Role;
  locale: Locale;
  /** The IANA zone the user's dates are shown in (profile); absent or null: the browser's own. */
  timeZone?: string | null;
}
