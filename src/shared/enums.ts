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
