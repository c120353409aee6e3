import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Deps } from "../deps";

// The link in the "resolved" mail that lets the requester answer "¿Le ayudó esta respuesta?" without
// signing in: `<ticket id>.<HMAC-SHA256 over purpose, ticket and requester>`. Holding it proves the
// mail reached the requester, nothing more: it opens only the evaluation of that ticket. The key is
// derived from the session secret (deps.secrets.session), under its own label, so a value signed
// here can never stand for a session cookie or anything else signed with it; rotating the secret
// voids the links already mailed, as it ends the sessions.

const PURPOSE = "ticket-evaluation";
const HKDF_INFO = "ventanilla evaluation links";
const TOKEN = /^([a-z0-9]{1,64})\.([A-Za-z0-9_-]{43})$/;

function keyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), HKDF_INFO, 32));
}

function mac(secret: string, ticketId: string, requesterId: string): Buffer {
  return createHmac("sha256", keyOf(secret)).update(`${PURPOSE}\0${ticketId}\0${requesterId}`, "utf8").digest();
}

export function evaluationToken(deps: Pick<Deps, "secrets">, ticket: { id: string; requesterId: string }): string {
  return `${ticket.id}.${mac(deps.secrets.session, ticket.id, ticket.requesterId).toString("base64url")}`;
}

export function evaluationUrl(deps: Pick<Deps, "secrets" | "mail">, ticket: { id: string; requesterId: string }): string {
  return `${deps.mail.publicUrl}/evaluar/${evaluationToken(deps, ticket)}`;
}

/** The ticket id a token names, before its signature is checked (null when it is not even shaped like one). */
export function ticketIdOf(token: string): string | null {
  return TOKEN.exec(token)?.[1] ?? null;
}

/** Whether the token was signed by us for this ticket and requester (compared in constant time). */
export function verifyEvaluationToken(deps: Pick<Deps, "secrets">, token: string, ticket: { id: string; requesterId: string }): boolean {
  const m = TOKEN.exec(token);
  if (!m || m[1] !== ticket.id) return false;
  // Compared as text, not decoded: the last of 43 base64url characters carries two unused bits, so a
  // decoded comparison would take four spellings of one signature (an altered link still verifying).
  const given = Buffer.from(m[2]!, "utf8");
  const expected = Buffer.from(mac(deps.secrets.session, ticket.id, ticket.requesterId).toString("base64url"), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
