import { z } from "zod";

// What /admin/reports renders (reports.overview), every duration in ms, every day yyyy-MM-dd in the desk's zone.

const durationStats = z.object({
  count: z.number().int(),
  meanMs: z.number().nullable(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
  /** false: read from the rollup's histogram (within a bucket's width), true: computed from every ticket. */
  exact: z.boolean(),
});

export const reportOverview = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  /** Where the numbers came from: the per-day rollup (no filter or one) or the per-ticket rows. */
  source: z.enum(["rollup", "tickets"]),
  volume: z.array(z.object({ day: z.string(), created: z.number().int(), solved: z.number().int(), backlog: z.number().int() })),
  totals: z.object({ created: z.number().int(), solved: z.number().int(), backlogStart: z.number().int(), backlogEnd: z.number().int() }),
  times: z.object({ firstResponse: durationStats, resolution: durationStats }),
  sla: z.array(z.object({ target: z.enum(["firstResponse", "resolution"]), met: z.number().int(), breached: z.number().int(), percent: z.number().nullable() })),
  evaluations: z.object({
    helpful: z.number().int(),
    notHelpful: z.number().int(),
    percent: z.number().nullable(),
    comments: z.array(z.object({ number: z.number().int(), subject: z.string(), helpful: z.boolean(), comment: z.string(), at: z.date() })),
  }),
  kb: z.object({
    deflections: z.number().int(),
    deflectionsByArticle: z.array(z.object({ title: z.string(), slug: z.string(), language: z.string(), count: z.number().int() })),
    helpfulness: z.array(z.object({ title: z.string(), slug: z.string(), language: z.string(), helpful: z.number().int(), notHelpful: z.number().int(), percent: z.number() })),
  }),
  /** Tickets created per local weekday (1 Monday … 7 Sunday) and hour (0-23): every cell, zeros too. */
  hours: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int() })),
});
export type ReportOverview = z.infer<typeof reportOverview>;

export const reportOptions = z.object({
  timeZone: z.string(),
  today: z.string(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  agents: z.array(z.object({ id: z.string(), name: z.string().nullable(), email: z.string() })),
  categories: z.array(z.object({ id: z.string(), nameEs: z.string(), nameEn: z.string() })),
});
export type ReportOptions = z.infer<typeof reportOptions>;
