
-- CreateTable
CREATE TABLE "ReportSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "timeZone" TEXT NOT NULL,

    CONSTRAINT "ReportSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketMetric" (
    "ticketId" TEXT NOT NULL,
    "teamId" TEXT,
    "agentId" TEXT,
    "categoryId" TEXT,
    "channel" "Channel" NOT NULL,
    "priority" "Priority" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdDay" DATE NOT NULL,
    "createdHour" SMALLINT NOT NULL,
    "doneAt" TIMESTAMP(3),
    "doneDay" DATE,
    "firstResponseAt" TIMESTAMP(3),
    "firstResponseDay" DATE,
    "firstResponseMs" BIGINT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedDay" DATE,
    "resolutionMs" BIGINT,
    "frOutcome" SMALLINT,
    "frOutcomeDay" DATE,
    "resOutcome" SMALLINT,
    "resOutcomeDay" DATE,
    "helpful" BOOLEAN,
    "evaluatedDay" DATE,

    CONSTRAINT "TicketMetric_pkey" PRIMARY KEY ("ticketId")
);

-- CreateTable
CREATE TABLE "ReportDaily" (
    "dim" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "createdHours" INTEGER[],
    "done" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0,
    "resolutionMsSum" BIGINT NOT NULL DEFAULT 0,
    "resolutionHist" INTEGER[],
    "firstResponses" INTEGER NOT NULL DEFAULT 0,
    "firstResponseMsSum" BIGINT NOT NULL DEFAULT 0,
    "firstResponseHist" INTEGER[],
    "frMet" INTEGER NOT NULL DEFAULT 0,
    "frBreached" INTEGER NOT NULL DEFAULT 0,
    "resMet" INTEGER NOT NULL DEFAULT 0,
    "resBreached" INTEGER NOT NULL DEFAULT 0,
    "evalHelpful" INTEGER NOT NULL DEFAULT 0,
    "evalNotHelpful" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReportDaily_pkey" PRIMARY KEY ("dim","value","day")
);

-- CreateIndex
CREATE INDEX "TicketMetric_createdDay_idx" ON "TicketMetric"("createdDay");

-- CreateIndex
CREATE INDEX "TicketMetric_resolvedDay_idx" ON "TicketMetric"("resolvedDay");

-- CreateIndex
CREATE INDEX "TicketMetric_firstResponseDay_idx" ON "TicketMetric"("firstResponseDay");


-- ---------------------------------------------------------------------------------------------
-- Reports (issue 16 item 4). Hand-written below: see src/server/modules/reports/README-like notes
-- in reports/source.ts. Chain: Ticket / TicketEvaluation --trigger--> TicketMetric (one row per
-- ticket) --trigger--> ReportDelta (append-only: no hot row, no lock order between writers)
-- --report_fold()--> ReportDaily (per local day × one dimension), folded before every read.
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "TicketMetric" ADD CONSTRAINT "TicketMetric_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE;
ALTER TABLE "ReportSettings" ADD CONSTRAINT "ReportSettings_single" CHECK (id = 1);
-- The backlog at an instant: tickets whose [created, done) span holds it (a stabbing query).
CREATE INDEX "TicketMetric_open_span_idx" ON "TicketMetric" USING gist (tsrange("createdAt", "doneAt"));
CREATE INDEX "TicketMetric_doneDay_idx" ON "TicketMetric"("doneDay");
CREATE INDEX "TicketMetric_evaluatedDay_idx" ON "TicketMetric"("evaluatedDay");
-- The latest evaluation comments, newest first.
CREATE INDEX "TicketEvaluation_comment_updatedAt_idx" ON "TicketEvaluation"("updatedAt" DESC) WHERE comment IS NOT NULL;
-- The knowledge base's helpfulness over a period.
CREATE INDEX "ArticleFeedback_createdAt_idx" ON "ArticleFeedback"("createdAt");

-- Changes not yet folded into ReportDaily: a copy of the metric row before (-1) and after (+1).
CREATE TABLE "ReportDelta" (
  id bigserial PRIMARY KEY,
  sign smallint NOT NULL,
  m "TicketMetric" NOT NULL
);

-- The desk's zone: the default business calendar's (the env's BUSINESS_TIME_ZONE seeds it).
INSERT INTO "ReportSettings" (id, "timeZone")
SELECT 1, coalesce((SELECT "timeZone" FROM "BusinessCalendar" WHERE "isDefault" LIMIT 1), 'Europe/Madrid');

CREATE FUNCTION report_zone() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT "timeZone" FROM "ReportSettings" WHERE id = 1), 'Europe/Madrid')
$$;

-- A stored UTC timestamp as the wall time of zone tz.
CREATE FUNCTION report_local(ts timestamp, tz text) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
  SELECT (ts AT TIME ZONE 'UTC') AT TIME ZONE tz
$$;

-- Duration bucket 1..60: < 1 min, then ×1.25 per bucket (src/server/modules/reports/buckets.ts holds the same bounds).
CREATE FUNCTION report_bucket(ms bigint) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT width_bucket(ms::float8, '{60000,75000,93750,117188,146484,183105,228882,286102,357628,447035,558794,698492,873115,1091394,1364242,1705303,2131628,2664535,3330669,4163336,5204170,6505213,8131516,10164395,12705494,15881868,19852335,24815418,31019273,38774091,48467614,60584518,75730647,94663309,118329136,147911420,184889275,231111593,288889492,361111865,451389831,564237288,705296610,881620763,1102025954,1377532442,1721915553,2152394441,2690493052,3363116314,4203895393,5254869241,6568586552,8210733189,10263416487,12829270608,16036588261,20045735326,25057169157}'::float8[]) + 1
$$;

-- What each ticket contributes, computed from the ticket as it is now.
CREATE VIEW "ReportTicketSource" AS
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
  e.helpful, report_local(e."updatedAt", z.tz)::date AS "evaluatedDay"
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

-- One ticket's metric row brought up to date (written only when something it holds changed).
CREATE FUNCTION report_sync_ticket(tid text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ventanilla.report_rebuild', true) = 'on' THEN RETURN; END IF;
  INSERT INTO "TicketMetric" AS m SELECT * FROM "ReportTicketSource" s WHERE s."ticketId" = tid
  ON CONFLICT ("ticketId") DO UPDATE SET
    ("teamId", "agentId", "categoryId", channel, priority, "createdAt", "createdDay", "createdHour", "doneAt", "doneDay",
     "firstResponseAt", "firstResponseDay", "firstResponseMs", "resolvedAt", "resolvedDay", "resolutionMs",
     "frOutcome", "frOutcomeDay", "resOutcome", "resOutcomeDay", helpful, "evaluatedDay") =
    (EXCLUDED."teamId", EXCLUDED."agentId", EXCLUDED."categoryId", EXCLUDED.channel, EXCLUDED.priority, EXCLUDED."createdAt",
     EXCLUDED."createdDay", EXCLUDED."createdHour", EXCLUDED."doneAt", EXCLUDED."doneDay", EXCLUDED."firstResponseAt",
     EXCLUDED."firstResponseDay", EXCLUDED."firstResponseMs", EXCLUDED."resolvedAt", EXCLUDED."resolvedDay", EXCLUDED."resolutionMs",
     EXCLUDED."frOutcome", EXCLUDED."frOutcomeDay", EXCLUDED."resOutcome", EXCLUDED."resOutcomeDay", EXCLUDED.helpful, EXCLUDED."evaluatedDay")
  WHERE ROW(m.*) IS DISTINCT FROM ROW(EXCLUDED.*);
END
$$;

CREATE FUNCTION report_ticket_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_sync_ticket(NEW.id);
  RETURN NULL;
END
$$;
-- Only writes that set a column the reports read (not the search vectors, the version, the last-viewed times).
CREATE TRIGGER report_ticket AFTER INSERT OR UPDATE OF status, "teamId", "assigneeId", "categoryId", channel, priority, "createdAt",
  "firstResponseAt", "resolvedAt", "closedAt", "firstResponseDueAt", "resolutionDueAt", "firstResponseBreachedAt", "resolutionBreachedAt"
  ON "Ticket" FOR EACH ROW EXECUTE FUNCTION report_ticket_changed();

CREATE FUNCTION report_evaluation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_sync_ticket(CASE WHEN TG_OP = 'DELETE' THEN OLD."ticketId" ELSE NEW."ticketId" END);
  RETURN NULL;
END
$$;
CREATE TRIGGER report_evaluation AFTER INSERT OR UPDATE OR DELETE ON "TicketEvaluation" FOR EACH ROW EXECUTE FUNCTION report_evaluation_changed();

CREATE FUNCTION report_metric_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ventanilla.report_rebuild', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO "ReportDelta" (sign, m) VALUES (-1, OLD); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN INSERT INTO "ReportDelta" (sign, m) VALUES (1, NEW); END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_metric AFTER INSERT OR UPDATE OR DELETE ON "TicketMetric" FOR EACH ROW EXECUTE FUNCTION report_metric_changed();

-- The day-rows one metric row adds to, each with what it adds.
CREATE FUNCTION report_events(m "TicketMetric") RETURNS TABLE (
  day date, created int, hour int, done int, resolved int, res_ms bigint, res_bucket int, frs int, fr_ms bigint, fr_bucket int,
  fr_met int, fr_breached int, res_met int, res_breached int, eval_yes int, eval_no int
) LANGUAGE sql IMMUTABLE AS $$
  SELECT m."createdDay", 1, m."createdHour" + 1, 0, 0, 0::bigint, NULL::int, 0, 0::bigint, NULL::int, 0, 0, 0, 0, 0, 0
  UNION ALL SELECT m."doneDay", 0, NULL, 1, 0, 0, NULL, 0, 0, NULL, 0, 0, 0, 0, 0, 0 WHERE m."doneDay" IS NOT NULL
  UNION ALL SELECT m."resolvedDay", 0, NULL, 0, 1, m."resolutionMs", report_bucket(m."resolutionMs"), 0, 0, NULL, 0, 0, 0, 0, 0, 0 WHERE m."resolvedDay" IS NOT NULL
  UNION ALL SELECT m."firstResponseDay", 0, NULL, 0, 0, 0, NULL, 1, m."firstResponseMs", report_bucket(m."firstResponseMs"), 0, 0, 0, 0, 0, 0 WHERE m."firstResponseDay" IS NOT NULL
  UNION ALL SELECT m."frOutcomeDay", 0, NULL, 0, 0, 0, NULL, 0, 0, NULL, (m."frOutcome" = 1)::int, (m."frOutcome" = 2)::int, 0, 0, 0, 0 WHERE m."frOutcomeDay" IS NOT NULL
  UNION ALL SELECT m."resOutcomeDay", 0, NULL, 0, 0, 0, NULL, 0, 0, NULL, 0, 0, (m."resOutcome" = 1)::int, (m."resOutcome" = 2)::int, 0, 0 WHERE m."resOutcomeDay" IS NOT NULL
  UNION ALL SELECT m."evaluatedDay", 0, NULL, 0, 0, 0, NULL, 0, 0, NULL, 0, 0, 0, 0, m.helpful::int, (NOT m.helpful)::int WHERE m."evaluatedDay" IS NOT NULL AND m.helpful IS NOT NULL
$$;

-- The rollup rows one metric row counts in: every ticket in "all", and in one row per dimension.
CREATE FUNCTION report_dims(m "TicketMetric") RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE AS $$
  VALUES ('all', ''), ('team', coalesce(m."teamId", '')), ('agent', coalesce(m."agentId", '')),
    ('category', coalesce(m."categoryId", '')), ('channel', m.channel::text), ('priority', m.priority::text)
$$;

-- Weighted counts per index 1..n (null when there is nothing).
CREATE FUNCTION report_hist(idx int[], w int[], n int) RETURNS int[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  out int[];
BEGIN
  IF idx IS NULL THEN RETURN NULL; END IF;
  out := array_fill(0, ARRAY[n]);
  FOR i IN 1 .. cardinality(idx) LOOP
    out[idx[i]] := out[idx[i]] + w[i];
  END LOOP;
  RETURN out;
END
$$;

-- Element-wise sum, a null array counting as zeros.
CREATE FUNCTION report_add(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
    ELSE (SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)) END
$$;

-- Folds every pending delta into ReportDaily; one folder at a time (a reader waits for the running fold, then folds the rest).
CREATE FUNCTION report_fold() RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  n int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('ventanilla.report_fold'));
  WITH moved AS (DELETE FROM "ReportDelta" RETURNING sign, m),
  rows AS (
    SELECT k.dim, k.value, e.day,
      sum(e.created * d.sign)::int AS created,
      report_hist(array_agg(e.hour) FILTER (WHERE e.hour IS NOT NULL), array_agg(d.sign::int) FILTER (WHERE e.hour IS NOT NULL), 24) AS hours,
      sum(e.done * d.sign)::int AS done,
      sum(e.resolved * d.sign)::int AS resolved,
      sum(e.res_ms * d.sign)::bigint AS res_ms,
      report_hist(array_agg(e.res_bucket) FILTER (WHERE e.res_bucket IS NOT NULL), array_agg(d.sign::int) FILTER (WHERE e.res_bucket IS NOT NULL), 60) AS res_hist,
      sum(e.frs * d.sign)::int AS frs,
      sum(e.fr_ms * d.sign)::bigint AS fr_ms,
      report_hist(array_agg(e.fr_bucket) FILTER (WHERE e.fr_bucket IS NOT NULL), array_agg(d.sign::int) FILTER (WHERE e.fr_bucket IS NOT NULL), 60) AS fr_hist,
      sum(e.fr_met * d.sign)::int AS fr_met, sum(e.fr_breached * d.sign)::int AS fr_breached,
      sum(e.res_met * d.sign)::int AS res_met, sum(e.res_breached * d.sign)::int AS res_breached,
      sum(e.eval_yes * d.sign)::int AS eval_yes, sum(e.eval_no * d.sign)::int AS eval_no
    FROM moved d, LATERAL report_events(d.m) e, LATERAL report_dims(d.m) k
    GROUP BY k.dim, k.value, e.day
    ORDER BY k.dim, k.value, e.day
  )
  INSERT INTO "ReportDaily" AS r (dim, value, day, created, "createdHours", done, resolved, "resolutionMsSum", "resolutionHist",
    "firstResponses", "firstResponseMsSum", "firstResponseHist", "frMet", "frBreached", "resMet", "resBreached", "evalHelpful", "evalNotHelpful")
  SELECT * FROM rows
  ON CONFLICT (dim, value, day) DO UPDATE SET
    created = r.created + EXCLUDED.created,
    "createdHours" = report_add(r."createdHours", EXCLUDED."createdHours"),
    done = r.done + EXCLUDED.done,
    resolved = r.resolved + EXCLUDED.resolved,
    "resolutionMsSum" = r."resolutionMsSum" + EXCLUDED."resolutionMsSum",
    "resolutionHist" = report_add(r."resolutionHist", EXCLUDED."resolutionHist"),
    "firstResponses" = r."firstResponses" + EXCLUDED."firstResponses",
    "firstResponseMsSum" = r."firstResponseMsSum" + EXCLUDED."firstResponseMsSum",
    "firstResponseHist" = report_add(r."firstResponseHist", EXCLUDED."firstResponseHist"),
    "frMet" = r."frMet" + EXCLUDED."frMet", "frBreached" = r."frBreached" + EXCLUDED."frBreached",
    "resMet" = r."resMet" + EXCLUDED."resMet", "resBreached" = r."resBreached" + EXCLUDED."resBreached",
    "evalHelpful" = r."evalHelpful" + EXCLUDED."evalHelpful", "evalNotHelpful" = r."evalNotHelpful" + EXCLUDED."evalNotHelpful";
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- Everything recomputed from the tickets (the backfill; after a change of the desk's zone, with that zone).
-- Ticket writes wait meanwhile (SHARE lock), so none is lost between the copy and the triggers.
CREATE FUNCTION report_rebuild(zone text DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  LOCK TABLE "Ticket", "TicketEvaluation" IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(hashtext('ventanilla.report_fold'));
  IF zone IS NOT NULL THEN
    INSERT INTO "ReportSettings" (id, "timeZone") VALUES (1, zone) ON CONFLICT (id) DO UPDATE SET "timeZone" = EXCLUDED."timeZone";
  END IF;
  PERFORM set_config('ventanilla.report_rebuild', 'on', true);
  TRUNCATE "ReportDelta", "ReportDaily", "TicketMetric";
  INSERT INTO "TicketMetric" SELECT * FROM "ReportTicketSource";
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO "ReportDelta" (sign, m) SELECT 1, m FROM "TicketMetric" m;
  PERFORM set_config('ventanilla.report_rebuild', 'off', true);
  PERFORM report_fold();
  -- The fold deleted every delta: truncating leaves no dead rows for the next folds to scan.
  TRUNCATE "ReportDelta";
  ANALYZE "TicketMetric";
  ANALYZE "ReportDaily";
  RETURN n;
END
$$;

SELECT report_rebuild();
