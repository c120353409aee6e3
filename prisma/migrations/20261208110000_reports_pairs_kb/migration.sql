-- ---------------------------------------------------------------------------------------------
-- Reports bounded by the period's days, not by the tickets (issue 16, session 8). Hand-written.
--  * ReportDaily also holds the ten pairs of dimensions (team+agent, …, channel+priority): a report
--    with two filters reads ≤ 366 rows, as one with none or one does. A pair's value is both values
--    joined by '|' ('' for no team, agent or category).
--  * The backlog when a period starts comes from the same rows: Σ (created − done) of the days before.
--  * "commentAt" on TicketMetric (the evaluation's time when it has a comment) with partial indexes per
--    dimension: the latest comments are read from the newest matching entries, not the period's tickets.
--  * Per-dimension indexes on the resolution and first-response days (with the duration): an exact
--    percentile (≤ EXACT_PERCENTILES_MAX tickets) reads the filtered tickets' entries only, and three
--    filters or more find their tickets without a scan of TicketMetric.
--  * ReportKbDaily: deflections and article votes per local day and article, kept by triggers.
-- ---------------------------------------------------------------------------------------------

-- Everything pending goes into the rollup before TicketMetric's row type changes (ReportDelta stores it).
SELECT report_fold();
DROP TABLE "ReportDelta";

-- AlterTable
ALTER TABLE "TicketMetric" ADD COLUMN "commentAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ReportKbDaily" (
    "day" DATE NOT NULL,
    "articleId" TEXT NOT NULL,
    "deflections" INTEGER NOT NULL DEFAULT 0,
    "helpful" INTEGER NOT NULL DEFAULT 0,
    "notHelpful" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReportKbDaily_pkey" PRIMARY KEY ("day","articleId")
);

CREATE TABLE "ReportDelta" (
  id bigserial PRIMARY KEY,
  sign smallint NOT NULL,
  m "TicketMetric" NOT NULL
);

CREATE OR REPLACE VIEW "ReportTicketSource" AS
SELECT t.id AS "ticketId", t."teamId", t."assigneeId" AS "agentId", t."categoryId", t.channel, t.priority, t."createdAt",
  report_local(t."createdAt", z.tz)::date AS "createdDay",
  extract(hour FROM report_local(t."createdAt", z.tz))::smallint AS "createdHour",
  d.done AS "doneAt", report_local(d.done, z.tz)::date AS "doneDay",
  t."firstResponseAt", report_local(t."firstResponseAt", z.tz)::date AS "firstResponseDay",
  GREATEST(0, round(extract(epoch FROM t."firstResponseAt" - t."createdAt") * 1000))::bigint AS "firstResponseMs",
  t."resolvedAt", report_local(t."resolvedAt", z.tz)::date AS "resolvedDay",
  GREATEST(0, round(extract(epoch FROM t."resolvedAt" - t."createdAt") * 1000))::bigint AS "resolutionMs",
  fr.outcome AS "frOutcome", report_local(fr.at, z.tz)::date AS "frOutcomeDay",
  rs.outcome AS "resOutcome", report_local(rs.at, z.tz)::date AS "resOutcomeDay",
  e.helpful, report_local(e."updatedAt", z.tz)::date AS "evaluatedDay",
  CASE WHEN e.comment IS NOT NULL THEN e."updatedAt" END AS "commentAt"
FROM "Ticket" t
CROSS JOIN (SELECT report_zone() AS tz) z
LEFT JOIN "TicketEvaluation" e ON e."ticketId" = t.id
CROSS JOIN LATERAL (SELECT CASE WHEN t.status IN ('RESOLVED', 'CLOSED', 'REJECTED')
  THEN GREATEST(coalesce(t."resolvedAt", t."closedAt", t."updatedAt"), t."createdAt") END AS done) d
CROSS JOIN LATERAL (SELECT x.outcome::smallint, CASE x.outcome WHEN 2 THEN coalesce(t."firstResponseBreachedAt", t."firstResponseDueAt") WHEN 1 THEN t."firstResponseAt" END AS at
  FROM (SELECT CASE WHEN t."firstResponseDueAt" IS NULL THEN NULL
    WHEN t."firstResponseBreachedAt" IS NOT NULL OR t."firstResponseAt" > t."firstResponseDueAt" THEN 2
    WHEN t."firstResponseAt" IS NOT NULL THEN 1 END AS outcome) x) fr
CROSS JOIN LATERAL (SELECT x.outcome::smallint, CASE x.outcome WHEN 2 THEN coalesce(t."resolutionBreachedAt", t."resolutionDueAt") WHEN 1 THEN t."resolvedAt" END AS at
  FROM (SELECT CASE WHEN t."resolutionDueAt" IS NULL THEN NULL
    WHEN t."resolutionBreachedAt" IS NOT NULL OR t."resolvedAt" > t."resolutionDueAt" THEN 2
    WHEN t."resolvedAt" IS NOT NULL THEN 1 END AS outcome) x) rs;

CREATE OR REPLACE FUNCTION report_sync_ticket(tid text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ventanilla.report_rebuild', true) = 'on' THEN RETURN; END IF;
  INSERT INTO "TicketMetric" AS m SELECT * FROM "ReportTicketSource" s WHERE s."ticketId" = tid
  ON CONFLICT ("ticketId") DO UPDATE SET
    ("teamId", "agentId", "categoryId", channel, priority, "createdAt", "createdDay", "createdHour", "doneAt", "doneDay",
     "firstResponseAt", "firstResponseDay", "firstResponseMs", "resolvedAt", "resolvedDay", "resolutionMs",
     "frOutcome", "frOutcomeDay", "resOutcome", "resOutcomeDay", helpful, "evaluatedDay", "commentAt") =
    (EXCLUDED."teamId", EXCLUDED."agentId", EXCLUDED."categoryId", EXCLUDED.channel, EXCLUDED.priority, EXCLUDED."createdAt",
     EXCLUDED."createdDay", EXCLUDED."createdHour", EXCLUDED."doneAt", EXCLUDED."doneDay", EXCLUDED."firstResponseAt",
     EXCLUDED."firstResponseDay", EXCLUDED."firstResponseMs", EXCLUDED."resolvedAt", EXCLUDED."resolvedDay", EXCLUDED."resolutionMs",
     EXCLUDED."frOutcome", EXCLUDED."frOutcomeDay", EXCLUDED."resOutcome", EXCLUDED."resOutcomeDay", EXCLUDED.helpful, EXCLUDED."evaluatedDay",
     EXCLUDED."commentAt")
  WHERE ROW(m.*) IS DISTINCT FROM ROW(EXCLUDED.*);
END
$$;

-- Every rollup row one metric row counts in: "all", each dimension, each pair of dimensions (in the
-- order team, agent, category, channel, priority; src/server/modules/reports/source.ts builds the same keys).
CREATE OR REPLACE FUNCTION report_dims(m "TicketMetric") RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE AS $$
  SELECT x.dim, x.value FROM (SELECT coalesce(m."teamId", '') AS t, coalesce(m."agentId", '') AS a, coalesce(m."categoryId", '') AS c,
      m.channel::text AS ch, m.priority::text AS p) v,
    LATERAL (VALUES ('all', ''), ('team', v.t), ('agent', v.a), ('category', v.c), ('channel', v.ch), ('priority', v.p),
      ('team+agent', v.t || '|' || v.a), ('team+category', v.t || '|' || v.c), ('team+channel', v.t || '|' || v.ch),
      ('team+priority', v.t || '|' || v.p), ('agent+category', v.a || '|' || v.c), ('agent+channel', v.a || '|' || v.ch),
      ('agent+priority', v.a || '|' || v.p), ('category+channel', v.c || '|' || v.ch), ('category+priority', v.c || '|' || v.p),
      ('channel+priority', v.ch || '|' || v.p)) x(dim, value)
$$;

-- Exact percentiles of a filtered period: its tickets' entries only (the unfiltered ones use the day indexes).
-- The resolution ones hold every ticket (not only the resolved): three filters or more find their
-- tickets through them (a bitmap AND of the filters' columns) instead of scanning TicketMetric.
CREATE INDEX "TicketMetric_team_resolved_idx" ON "TicketMetric" ("teamId", "resolvedDay") INCLUDE ("resolutionMs");
CREATE INDEX "TicketMetric_agent_resolved_idx" ON "TicketMetric" ("agentId", "resolvedDay") INCLUDE ("resolutionMs");
CREATE INDEX "TicketMetric_category_resolved_idx" ON "TicketMetric" ("categoryId", "resolvedDay") INCLUDE ("resolutionMs");
CREATE INDEX "TicketMetric_channel_resolved_idx" ON "TicketMetric" (channel, "resolvedDay") INCLUDE ("resolutionMs");
CREATE INDEX "TicketMetric_priority_resolved_idx" ON "TicketMetric" (priority, "resolvedDay") INCLUDE ("resolutionMs");
CREATE INDEX "TicketMetric_team_fr_idx" ON "TicketMetric" ("teamId", "firstResponseDay") INCLUDE ("firstResponseMs") WHERE "firstResponseDay" IS NOT NULL;
CREATE INDEX "TicketMetric_agent_fr_idx" ON "TicketMetric" ("agentId", "firstResponseDay") INCLUDE ("firstResponseMs") WHERE "firstResponseDay" IS NOT NULL;
CREATE INDEX "TicketMetric_category_fr_idx" ON "TicketMetric" ("categoryId", "firstResponseDay") INCLUDE ("firstResponseMs") WHERE "firstResponseDay" IS NOT NULL;
CREATE INDEX "TicketMetric_channel_fr_idx" ON "TicketMetric" (channel, "firstResponseDay") INCLUDE ("firstResponseMs") WHERE "firstResponseDay" IS NOT NULL;
CREATE INDEX "TicketMetric_priority_fr_idx" ON "TicketMetric" (priority, "firstResponseDay") INCLUDE ("firstResponseMs") WHERE "firstResponseDay" IS NOT NULL;
-- The latest evaluation comments, newest first, without and with each filter.
CREATE INDEX "TicketMetric_comment_idx" ON "TicketMetric" ("commentAt") WHERE "commentAt" IS NOT NULL;
CREATE INDEX "TicketMetric_team_comment_idx" ON "TicketMetric" ("teamId", "commentAt") WHERE "commentAt" IS NOT NULL;
CREATE INDEX "TicketMetric_agent_comment_idx" ON "TicketMetric" ("agentId", "commentAt") WHERE "commentAt" IS NOT NULL;
CREATE INDEX "TicketMetric_category_comment_idx" ON "TicketMetric" ("categoryId", "commentAt") WHERE "commentAt" IS NOT NULL;
CREATE INDEX "TicketMetric_channel_comment_idx" ON "TicketMetric" (channel, "commentAt") WHERE "commentAt" IS NOT NULL;
CREATE INDEX "TicketMetric_priority_comment_idx" ON "TicketMetric" (priority, "commentAt") WHERE "commentAt" IS NOT NULL;

-- The knowledge base per local day and article: a deflection or vote adds to its day's row (and a
-- deleted or moved one takes away). Articles are few: a year is ≤ 366 × articles rows.
CREATE FUNCTION report_kb_add(at timestamp, article text, deflections int, helpful int, not_helpful int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ReportKbDaily" AS r (day, "articleId", deflections, helpful, "notHelpful")
  VALUES (report_local(at, report_zone())::date, article, deflections, helpful, not_helpful)
  ON CONFLICT (day, "articleId") DO UPDATE SET deflections = r.deflections + EXCLUDED.deflections,
    helpful = r.helpful + EXCLUDED.helpful, "notHelpful" = r."notHelpful" + EXCLUDED."notHelpful"
$$;

CREATE FUNCTION report_kb_deflection_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ventanilla.report_rebuild', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM report_kb_add(OLD."createdAt", OLD."articleId", -1, 0, 0); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM report_kb_add(NEW."createdAt", NEW."articleId", 1, 0, 0); END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_kb_deflection AFTER INSERT OR DELETE OR UPDATE OF "createdAt", "articleId" ON "KbDeflection"
  FOR EACH ROW EXECUTE FUNCTION report_kb_deflection_changed();

CREATE FUNCTION report_kb_feedback_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ventanilla.report_rebuild', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM report_kb_add(OLD."createdAt", OLD."articleId", 0, -(OLD.helpful::int), -((NOT OLD.helpful)::int)); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM report_kb_add(NEW."createdAt", NEW."articleId", 0, NEW.helpful::int, (NOT NEW.helpful)::int); END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_kb_feedback AFTER INSERT OR DELETE OR UPDATE OF "createdAt", "articleId", helpful ON "ArticleFeedback"
  FOR EACH ROW EXECUTE FUNCTION report_kb_feedback_changed();

-- Everything recomputed from the tickets and the knowledge base (the backfill; after a change of the
-- desk's zone, with that zone). Ticket and KB writes wait meanwhile (SHARE lock), so none is lost.
CREATE OR REPLACE FUNCTION report_rebuild(zone text DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  LOCK TABLE "Ticket", "TicketEvaluation", "KbDeflection", "ArticleFeedback" IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(hashtext('ventanilla.report_fold'));
  IF zone IS NOT NULL THEN
    INSERT INTO "ReportSettings" (id, "timeZone") VALUES (1, zone) ON CONFLICT (id) DO UPDATE SET "timeZone" = EXCLUDED."timeZone";
  END IF;
  -- One big grouping: in memory rather than spilled to disk (for this transaction only).
  PERFORM set_config('work_mem', '256MB', true);
  PERFORM set_config('ventanilla.report_rebuild', 'on', true);
  TRUNCATE "ReportDelta", "ReportDaily", "TicketMetric", "ReportKbDaily";
  INSERT INTO "TicketMetric" SELECT * FROM "ReportTicketSource";
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO "ReportDelta" (sign, m) SELECT 1, m FROM "TicketMetric" m;
  INSERT INTO "ReportKbDaily" (day, "articleId", deflections, helpful, "notHelpful")
  SELECT x.day, x."articleId", sum(x.d)::int, sum(x.h)::int, sum(x.nh)::int
  FROM (SELECT report_local(d."createdAt", report_zone())::date AS day, d."articleId", 1 AS d, 0 AS h, 0 AS nh FROM "KbDeflection" d
    UNION ALL SELECT report_local(f."createdAt", report_zone())::date, f."articleId", 0, f.helpful::int, (NOT f.helpful)::int FROM "ArticleFeedback" f) x
  GROUP BY x.day, x."articleId";
  PERFORM set_config('ventanilla.report_rebuild', 'off', true);
  PERFORM report_fold();
  -- The fold deleted every delta: truncating leaves no dead rows for the next folds to scan.
  TRUNCATE "ReportDelta";
  ANALYZE "TicketMetric";
  ANALYZE "ReportDaily";
  ANALYZE "ReportKbDaily";
  RETURN n;
END
$$;

SELECT report_rebuild();
