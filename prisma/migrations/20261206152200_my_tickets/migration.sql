-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "requesterLastViewedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "KbDeflection" (
    "id" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "draftId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbDeflection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KbDeflection_articleId_idx" ON "KbDeflection"("articleId");

-- CreateIndex
CREATE INDEX "KbDeflection_createdAt_idx" ON "KbDeflection"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "KbDeflection_userId_articleId_draftId_key" ON "KbDeflection"("userId", "articleId", "draftId");

-- AddForeignKey
ALTER TABLE "KbDeflection" ADD CONSTRAINT "KbDeflection_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KbDeflection" ADD CONSTRAINT "KbDeflection_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- "Mis tickets": nothing shows unread on the day this ships; answers after the customer's last message do.
UPDATE "Ticket" SET "requesterLastViewedAt" = "lastCustomerMessageAt";

-- The customer's own search (portal/list-my-tickets.ts): like the queue's "searchVector" but with the
-- words of public messages only, so a customer's search can never reveal what an internal note says.
-- Searches are always scoped to one requester (Ticket(requesterId, createdAt)), so no GIN index: the
-- vector is tested on the requester's rows only.
ALTER TABLE "Ticket" ADD COLUMN "customerSearchVector" tsvector NOT NULL DEFAULT ''::tsvector;
UPDATE "Ticket" t SET "customerSearchVector" = setweight(to_tsvector('vt_simple', t.subject), 'A') || COALESCE((
  SELECT to_tsvector('vt_simple', left(string_agg(left(m."bodyText", 100000), ' '), 300000)) FROM "Message" m
  WHERE m."ticketId" = t.id AND NOT m.internal), ''::tsvector);

-- The queue's triggers (migration 20261206113500_queue) keep both vectors, in the same single UPDATE
-- of the ticket per message as before.
CREATE OR REPLACE FUNCTION ticket_search_subject() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."searchVector" := setweight(to_tsvector('vt_simple', NEW.subject), 'A') || NEW."searchVector";
    NEW."customerSearchVector" := setweight(to_tsvector('vt_simple', NEW.subject), 'A') || NEW."customerSearchVector";
  ELSIF NEW.subject IS DISTINCT FROM OLD.subject THEN
    NEW."searchVector" := setweight(to_tsvector('vt_simple', NEW.subject), 'A') || COALESCE((
      SELECT to_tsvector('vt_simple', left(string_agg(left(m."bodyText", 100000), ' '), 300000)) FROM "Message" m WHERE m."ticketId" = NEW.id), ''::tsvector);
    NEW."customerSearchVector" := setweight(to_tsvector('vt_simple', NEW.subject), 'A') || COALESCE((
      SELECT to_tsvector('vt_simple', left(string_agg(left(m."bodyText", 100000), ' '), 300000)) FROM "Message" m
      WHERE m."ticketId" = NEW.id AND NOT m.internal), ''::tsvector);
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION message_search_append() RETURNS trigger AS $$
DECLARE words tsvector := to_tsvector('vt_simple', left(NEW."bodyText", 100000));
BEGIN
  UPDATE "Ticket" SET
    "searchVector" = CASE WHEN pg_column_size("searchVector") < 400000 THEN "searchVector" || words ELSE "searchVector" END,
    "customerSearchVector" = CASE WHEN NOT NEW.internal AND pg_column_size("customerSearchVector") < 400000
      THEN "customerSearchVector" || words ELSE "customerSearchVector" END
  WHERE id = NEW."ticketId" AND (pg_column_size("searchVector") < 400000 OR (NOT NEW.internal AND pg_column_size("customerSearchVector") < 400000));
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- The waiting line (seed 004: "en el orden en que se reciben … lista de espera"): open tickets no agent
-- has answered yet, oldest first. A ticket's place is one more than the number of these created
-- before it; this partial index holds only them, so counting walks the line and nothing else.
CREATE INDEX "Ticket_waiting_line_idx" ON "Ticket" ("createdAt", id)
  WHERE status = 'OPEN' AND "firstResponseAt" IS NULL AND "mergedIntoId" IS NULL;
