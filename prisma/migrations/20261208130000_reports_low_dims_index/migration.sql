-- Three filters or more read the per-ticket rows (reports/source.ts). This index holds, keyed by the
-- low-cardinality dimensions (channel, priority, team, then category and agent), every column that
-- read needs: with channel and priority (and team) among the filters, their tickets are a few
-- contiguous pages of it read index-only, instead of one heap page per ticket spread over the whole
-- table (team + channel + priority over a year at a million tickets: ~600 pages instead of ~24,000).
-- Not expressible in the Prisma schema (INCLUDE), like the other covering indexes of TicketMetric.
CREATE INDEX "TicketMetric_low_dims_idx" ON "TicketMetric" (channel, priority, "teamId", "categoryId", "agentId")
  INCLUDE ("createdDay", "createdHour", "doneDay", "resolvedDay", "resolutionMs", "firstResponseDay", "firstResponseMs",
    "frOutcome", "frOutcomeDay", "resOutcome", "resOutcomeDay", helpful, "evaluatedDay");
