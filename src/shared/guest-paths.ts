// The guest pages (issue 15): a ticket without an account, its tracking page, the forgotten-ID form.
export const GUEST_NEW_TICKET_PATH = "/soporte/nuevo";
export const GUEST_TRACKING_PATH = "/soporte/seguimiento";
export const GUEST_FORGOT_ID_PATH = "/soporte/recordar-id";

/** The tracking page with the ID filled in (the address is still asked for). */
export function guestTrackingPath(trackingId: string): string {
  return `${GUEST_TRACKING_PATH}?id=${encodeURIComponent(trackingId)}`;
}
