import type { MessageKey } from "~/i18n";
import type { Actor } from "~/server/modules/actor";
import { isStaff } from "~/shared/enums";

/** Who sees a link: signed out, a customer, any staff member (agent or admin), or admins only. */
export type Audience = "guest" | "customer" | "staff" | "admin";

export type NavLink = { href: string; label: MessageKey; for: readonly Audience[] };

/**
 * The site menu, in order. Adding a page to the menu is one line here; the header shows these inline
 * on wide screens and inside the menu sheet on narrow ones.
 */
export const NAV_LINKS: readonly NavLink[] = [
  { href: "/portal", label: "nav.portal", for: ["customer"] },
  { href: "/portal/tickets/new", label: "nav.newTicket", for: ["customer"] },
  { href: "/portal/perfil", label: "nav.profile", for: ["customer"] },
  { href: "/agent", label: "nav.queue", for: ["staff"] },
  // Staff reach the articles they write; everyone else (signed out too) the public pages.
  { href: "/kb", label: "nav.kb", for: ["guest", "customer"] },
  { href: "/agent/kb", label: "nav.kb", for: ["staff"] },
  { href: "/admin/inbound", label: "nav.inbound", for: ["admin"] },
  { href: "/admin/buzones-imap", label: "nav.imapMailboxes", for: ["admin"] },
  { href: "/admin/mailbox", label: "nav.mailbox", for: ["admin"] },
  { href: "/admin/kb/sinonimos", label: "nav.synonyms", for: ["admin"] },
  { href: "/admin/sla", label: "nav.sla", for: ["admin"] },
  { href: "/admin/respuestas", label: "nav.cannedReplies", for: ["admin"] },
  { href: "/admin/equipos", label: "nav.teams", for: ["admin"] },
  { href: "/admin/ajustes", label: "accounts.nav", for: ["admin"] },
  { href: "/admin/evaluaciones", label: "nav.evaluations", for: ["admin"] },
  { href: "/admin/categorias", label: "nav.categories", for: ["admin"] },
  { href: "/admin/productos", label: "nav.products", for: ["admin"] },
  { href: "/login", label: "nav.signIn", for: ["guest"] },
];

export function audiencesOf(actor: Pick<Actor, "role"> | null): Audience[] {
  if (!actor) return ["guest"];
  if (!isStaff(actor.role)) return ["customer"];
  return actor.role === "ADMIN" ? ["staff", "admin"] : ["staff"];
}

export function linksFor(actor: Pick<Actor, "role"> | null, links: readonly NavLink[] = NAV_LINKS): NavLink[] {
  const mine = audiencesOf(actor);
  return links.filter((l) => l.for.some((a) => mine.includes(a)));
}
