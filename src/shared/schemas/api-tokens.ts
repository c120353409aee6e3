import { z } from "zod";
import { person } from "./person";

/** A token as lists show it: its first characters, never the secret or its hash. */
export const apiTokenListItem = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["PERSONAL", "SERVICE"]),
  scope: z.enum(["READ", "WRITE"]),
  prefix: z.string(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  createdAt: z.date(),
  /** Who it acts as. */
  user: person,
  createdBy: person.nullable(),
});
export const apiTokenList = z.array(apiTokenListItem);
export type ApiTokenListItem = z.infer<typeof apiTokenListItem>;

/** A new token: the secret, shown once and never again. */
export const issuedApiToken = z.object({ id: z.string(), secret: z.string() });
export const revokedApiToken = z.object({ id: z.string(), revokedAt: z.date() });
