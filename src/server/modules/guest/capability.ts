import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Deps } from "../deps";

// What a guest (no account, no session) holds in cookies, signed with a key derived from the session
// secret under labels of its own (so nothing signed here can stand for a session, an evaluation link
// or another purpose's value):
// - GUEST_TICKET_COOKIE: after a right tracking ID + address, access to that ONE ticket for
//   GUEST_ACCESS_MINUTES: `<ticket id>.<expiry ms>.<mac>`. Never a session for the requester's account.
// - GUEST_DRAFT_COOKIE: an unguessable key of this browser's guest drafts: the owner of the files it
//   uploads (POST /api/uploads) and so the only one who can attach them. `<key>.<mac>`.

export const GUEST_TICKET_COOKIE = "vt-guest-ticket";
export const GUEST_DRAFT_COOKIE = "vt-guest-draft";
export const GUEST_ACCESS_MINUTES = 30;
/** A draft key lives as long as the staged uploads it owns may (the storage sweep removes day-old ones). */
export const GUEST_DRAFT_HOURS = 24;

type Secrets = Pick<Deps, "secrets">;

function mac(deps: Secrets, purpose: string, value: string): string {
  const key = Buffer.from(hkdfSync("sha256", deps.secrets.session, Buffer.alloc(0), `ventanilla guest ${purpose}`, 32));
  return createHmac("sha256", key).update(value, "utf8").digest("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

const TICKET = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;
const DRAFT = /^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/;

export function guestTicketToken(deps: Secrets, ticketId: string, now: Date): { value: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + GUEST_ACCESS_MINUTES * 60_000);
  const body = `${ticketId}.${expiresAt.getTime()}`;
  return { value: `${body}.${mac(deps, "ticket", body)}`, expiresAt };
}

/** The ticket a guest cookie opens, or null (missing, altered, expired). */
export function verifyGuestTicket(deps: Secrets, value: string | undefined, now: Date): string | null {
  const m = value ? TICKET.exec(value) : null;
  if (!m) return null;
  if (!same(m[3]!, mac(deps, "ticket", `${m[1]}.${m[2]}`))) return null;
  return Number(m[2]) > now.getTime() ? m[1]! : null;
}

export function newGuestDraft(deps: Secrets): { key: string; value: string } {
  const key = randomBytes(24).toString("base64url");
  return { key, value: `${key}.${mac(deps, "draft", key)}` };
}

/** The draft key a cookie carries, or null. */
export function verifyGuestDraft(deps: Secrets, value: string | undefined): string | null {
  const m = value ? DRAFT.exec(value) : null;
  if (!m || !same(m[2]!, mac(deps, "draft", m[1]!))) return null;
  return m[1]!;
}

/** The StagedUpload owner of a guest draft: never a user id (those are cuids), so no user can claim it, nor the guest a user's. */
export function guestUploadOwner(draftKey: string): string {
  return `guest:${draftKey}`;
}

/** A Set-Cookie header: HttpOnly, SameSite=Lax, Secure on https, for the whole site. */
export function cookieHeader(name: string, value: string, opts: { maxAgeSec: number; secure: boolean }): string {
  return [`${name}=${value}`, "Path=/", `Max-Age=${opts.maxAgeSec}`, "HttpOnly", "SameSite=Lax", ...(opts.secure ? ["Secure"] : [])].join("; ");
}
