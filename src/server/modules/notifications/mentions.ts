import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { isStaff } from "~/shared/enums";
import { notifyStaff } from "./bell";

// "@" followed by a staff member's name ("@Luis Agente") or the local part of their address
// ("@luis.agente"), in an internal note. Compared without case or accents; the longest handle wins,
// and it must end at a word boundary. An "@" inside a word (an address: ana@example.com) is no mention.

interface StaffHandle {
  id: string;
  name: string | null;
  email: string;
}

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
const wordChar = /[\p{L}\p{N}_]/u;
const beforeMention = /[\p{L}\p{N}_.+-]/u;

/** The ids of the staff members `text` mentions, once each, in the order first mentioned. */
export function mentionedStaff(text: string, staff: readonly StaffHandle[]): string[] {
  const handles = staff
    .flatMap((s) => [s.name ? fold(s.name) : "", fold(s.email.split("@")[0] ?? "")].filter(Boolean).map((handle) => ({ handle, id: s.id })))
    .sort((a, b) => b.handle.length - a.handle.length);
  const body = fold(text);
  const found: string[] = [];
  for (let at = body.indexOf("@"); at !== -1; at = body.indexOf("@", at + 1)) {
    if (at > 0 && beforeMention.test(body[at - 1]!)) continue;
    const hit = handles.find(({ handle }) => body.startsWith(handle, at + 1) && !wordChar.test(body[at + 1 + handle.length] ?? " "));
    if (hit && !found.includes(hit.id)) found.push(hit.id);
  }
  return found;
}

/** Notifies the staff an internal note mentions (never its author). Public replies mention no one. */
export async function notifyMentions(deps: Pick<Deps, "db" | "clock" | "bus">, actor: Actor, note: { ticketId: string; body: string; internal: boolean }) {
  if (!note.internal || !isStaff(actor.role) || !note.body.includes("@")) return [];
  const staff = await deps.db.user.findMany({ where: { role: { in: ["AGENT", "ADMIN"] } }, select: { id: true, name: true, email: true } });
  const userIds = mentionedStaff(note.body, staff);
  return notifyStaff(deps, { userIds, kind: "MENTIONED", ticketId: note.ticketId, actorId: actor.id });
}
