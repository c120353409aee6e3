// Isomorphic copies of the Prisma enums, safe to import from client components.
export const TICKET_STATUSES = ["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER", "RESOLVED", "CLOSED", "REJECTED"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const PRIORITIES = ["HIGH", "MEDIUM", "LOW"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ["PORTAL", "EMAIL", "PHONE", "GUEST"] as const;
export type Channel = (typeof CHANNELS)[number];

export const ROLES = ["CUSTOMER", "AGENT", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

export const SUBJECT_MAX = 200;
export const BODY_MAX = 50_000;
export const NAME_MAX = 100;
export const PASSWORD_MIN = 8;
/** The login form accepts passwords up to this length, so no longer one may be set. */
export const PASSWORD_MAX = 1024;

export function isStaff(role: Role): boolean {
  return role === "AGENT" || role === "ADMIN";
}

export const TICKET_EVENT_TYPES = [
  "CREATED",
  "STATUS_CHANGED",
  "ASSIGNED",
  "PRIORITY_CHANGED",
  "CATEGORY_CHANGED",
  "REPLIED",
  "NOTE_ADDED",
  "CUSTOM_FIELD_CHANGED",
  "SLA_FIRST_RESPONSE_WARNING",
  "SLA_FIRST_RESPONSE_BREACHED",
  "SLA_RESOLUTION_WARNING",
  "SLA_RESOLUTION_BREACHED",
  "ESCALATED",
  "MERGED_INTO",
  "MERGED_FROM",
  "EVALUATED",
  "TEAM_CHANGED",
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];
/** "Movimientos" only staff see: internal notes, the SLA's warnings and breaches, escalations, the routing between teams. */
export const STAFF_ONLY_EVENT_TYPES = ["NOTE_ADDED", "SLA_FIRST_RESPONSE_WARNING", "SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_WARNING", "SLA_RESOLUTION_BREACHED", "ESCALATED", "TEAM_CHANGED"] as const satisfies readonly TicketEventType[];

export const CUSTOM_FIELD_TYPES = ["TEXT", "NUMBER", "SELECT", "DATE", "BOOLEAN"] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const ARTICLE_STATES = ["DRAFT", "PUBLISHED"] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];

export const INBOUND_MAIL_STATUSES = ["RECEIVED", "PROCESSED", "DUPLICATE", "IGNORED", "HELD", "UNPROCESSABLE"] as const;
export type InboundMailStatus = (typeof INBOUND_MAIL_STATUSES)[number];

export const OUTBOUND_EMAIL_STATUSES = ["QUEUED", "SENT", "FAILED", "HELD"] as const;
export type OutboundEmailStatus = (typeof OUTBOUND_EMAIL_STATUSES)[number];

export const OAUTH_PROVIDERS = ["google", "facebook"] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];
