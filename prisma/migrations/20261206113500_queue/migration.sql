-- The agents' queue (src/server/modules/tickets/queue/): views, search, sorts, counts.

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "lastCustomerMessageAt" TIMESTAMP(3);

-- The queue's full-text search: the subject (weight A) and the words of every message, folded
-- (lower case, no accents: the vt_simple configuration of migration 20261124000000), kept on the
-- ticket so one GIN index answers "which tickets mention X" and the queue's order/limit can walk
-- its own indexes and test each row cheaply. Not modelled in the Prisma schema (like the KB "head").
ALTER TABLE "Ticket" ADD COLUMN "searchVector" tsvector NOT NULL DEFAULT ''::tsvector;

-- Backfill: the customer's last message (a ticket opened by staff for a caller counts as the
-- customer's first contact), and the search words of the tickets already there.
UPDATE "Ticket" t SET
  "lastCustomerMessageAt" = COALESCE((
    SELECT max(m."createdAt") FROM "Message" m JOIN "User" u ON u.id = m."authorId"
    WHERE m."ticketId" = t.id AND NOT m.internal AND u.role = 'CUSTOMER'), t."createdAt"),
  "searchVector" = setweight(to_tsvector('vt_simple', t.subject), 'A') || COALESCE((
    SELECT to_tsvector('vt_simple', left(string_agg(left(m."bodyText", 100000), ' '), 300000)) FROM "Message" m WHERE m."ticketId" = t.id), ''::tsvector);

-- The subject's words as a ticket is written, and again when the subject changes (rare: rebuilt
-- from the messages). Message words are appended as each message is stored. A tsvector holds at
-- most 1 MB: past ~400 kB a ticket's later messages are no longer indexed rather than failing the write.
CREATE FUNCTION ticket_search_subject() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."searchVector" := setweight(to_tsvector('vt_simple', NEW.subject), 'A') || NEW."searchVector";
  ELSIF NEW.subject IS DISTINCT FROM OLD.subject THEN
    NEW."searchVector" := setweight(to_tsvector('vt_simple', NEW.subject), 'A') || COALESCE((
      SELECT to_tsvector('vt_simple', left(string_agg(left(m."bodyText", 100000), ' '), 300000)) FROM "Message" m WHERE m."ticketId" = NEW.id), ''::tsvector);
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER ticket_search_subject BEFORE INSERT OR UPDATE OF subject ON "Ticket" FOR EACH ROW EXECUTE FUNCTION ticket_search_subject();

CREATE FUNCTION message_search_append() RETURNS trigger AS $$
BEGIN
  UPDATE "Ticket" SET "searchVector" = "searchVector" || to_tsvector('vt_simple', left(NEW."bodyText", 100000))
  WHERE id = NEW."ticketId" AND pg_column_size("searchVector") < 400000;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER message_search_append AFTER INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION message_search_append();

CREATE INDEX "Ticket_searchVector_idx" ON "Ticket" USING GIN ("searchVector");
-- Ten times the default statistics: the planner then knows the frequency of many more words, and
-- its guess for the rest (a fraction of the least frequent known one) gets small enough to send
-- rare words to the GIN index instead of walking the queue's order looking for them.
ALTER TABLE "Ticket" ALTER COLUMN "searchVector" SET STATISTICS 1000;

-- Requesters are searched by name and address (the address also split at @ . - _ + so "ana" finds
-- ana.perez@…); the tickets of the matching people come through Ticket(requesterId, createdAt).
-- The expression is repeated verbatim in queue/search.ts: the planner matches it by its shape.
CREATE INDEX "User_search_idx" ON "User" USING GIN (
  to_tsvector('vt_simple'::regconfig, COALESCE(name, '') || ' ' || email || ' ' || translate(email, '@._-+', '     ')));

-- The live part of the queue (not RESOLVED/CLOSED/REJECTED) is a few thousand rows of a million:
-- every view but "Todos", and the counts, read only these partial indexes. The expressions are
-- repeated verbatim in queue/views.ts (ACTIVE, SLA_KEY, LAST_CUSTOMER_KEY).
CREATE INDEX "Ticket_active_created_idx" ON "Ticket" ("createdAt", id)
  WHERE status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER');
CREATE INDEX "Ticket_active_sla_idx" ON "Ticket" ((COALESCE(CASE WHEN status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER') THEN LEAST(CASE WHEN "firstResponseAt" IS NULL THEN "firstResponseDueAt" END, CASE WHEN "resolvedAt" IS NULL THEN "resolutionDueAt" END) END, 'infinity'::timestamp(3))), id)
  WHERE status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER');
CREATE INDEX "Ticket_active_customer_idx" ON "Ticket" ((COALESCE("lastCustomerMessageAt", '-infinity'::timestamp(3))), id)
  WHERE status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER');
-- "Todos" sorted by SLA or by the customer's last message.
CREATE INDEX "Ticket_sla_key_idx" ON "Ticket" ((COALESCE(CASE WHEN status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER') THEN LEAST(CASE WHEN "firstResponseAt" IS NULL THEN "firstResponseDueAt" END, CASE WHEN "resolvedAt" IS NULL THEN "resolutionDueAt" END) END, 'infinity'::timestamp(3))), id);
CREATE INDEX "Ticket_customer_key_idx" ON "Ticket" ((COALESCE("lastCustomerMessageAt", '-infinity'::timestamp(3))), id);
