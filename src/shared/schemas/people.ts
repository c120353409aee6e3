import { z } from "zod";

export const STAFF_ROLES = ["AGENT", "ADMIN"] as const;

/** A member of staff as /admin/personas shows them. */
export const staffPerson = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  role: z.enum(STAFF_ROLES),
  active: z.boolean(),
  deactivatedAt: z.date().nullable(),
  /** Invited and not signed in yet. */
  pending: z.boolean(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: z.date(),
});
export type StaffPerson = z.infer<typeof staffPerson>;
export const staffList = z.array(staffPerson);

/** A customer as /admin/clientes lists them. */
export const customerRow = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  company: z.string().nullable(),
  organization: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.date(),
});
export type CustomerRow = z.infer<typeof customerRow>;
export const customerPage = z.object({ items: z.array(customerRow), nextCursor: z.string().nullable() });

/** An organization with its domains (/admin/organizaciones). */
export const organization = z.object({
  id: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  membersSeeTickets: z.boolean(),
  memberCount: z.number().int(),
});
export type Organization = z.infer<typeof organization>;
export const organizations = z.array(organization);
/** A saved organization and how many existing customers it took in. */
export const savedOrganization = organization.extend({ attached: z.number().int() });

export const ORGANIZATION_NAME_MAX = 120;
export const ORGANIZATION_DOMAINS_MAX = 20;
