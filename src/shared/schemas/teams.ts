import { z } from "zod";
import { person } from "./person";

/** A team with its members (team.list, the admin's /admin/equipos). */
export const team = z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), active: z.boolean(), members: z.array(person) });
export type Team = z.infer<typeof team>;
export const teams = z.array(team);
