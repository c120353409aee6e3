// Every admin page, grouped as /admin shows them: add a page here and it is reachable from /admin
// (the a11y and role tests walk this list too).
export const ADMIN_SECTIONS = [
  { key: "people", pages: [{ href: "/admin/personas", key: "staff" }, { href: "/admin/equipos", key: "teams" }, { href: "/admin/clientes", key: "customers" }, { href: "/admin/organizaciones", key: "organizations" }] },
  { key: "support", pages: [{ href: "/admin/sla", key: "sla" }, { href: "/admin/respuestas", key: "cannedReplies" }, { href: "/admin/evaluaciones", key: "evaluations" }, { href: "/admin/reports", key: "reports" }, { href: "/admin/categorias", key: "categories" }, { href: "/admin/productos", key: "products" }] },
  { key: "mail", pages: [{ href: "/admin/inbound", key: "inbound" }, { href: "/admin/buzones-imap", key: "imapMailboxes" }, { href: "/admin/mailbox", key: "mailbox" }] },
  { key: "kb", pages: [{ href: "/admin/kb/sinonimos", key: "synonyms" }] },
  {
    key: "settings",
    pages: [
      { href: "/admin/ajustes", key: "settings" },
      { href: "/admin/plantillas", key: "mailTemplates" },
      { href: "/admin/textos-portal", key: "portalTexts" },
      { href: "/admin/auditoria", key: "audit" },
      { href: "/admin/api", key: "api" },
      { href: "/admin/webhooks", key: "webhooks" },
    ],
  },
] as const;

export type AdminSection = (typeof ADMIN_SECTIONS)[number]["key"];
export type AdminPage = (typeof ADMIN_SECTIONS)[number]["pages"][number]["key"];
export const ADMIN_PAGES: ReadonlyArray<{ href: string; key: AdminPage }> = ADMIN_SECTIONS.flatMap((s): ReadonlyArray<{ href: string; key: AdminPage }> => s.pages);
