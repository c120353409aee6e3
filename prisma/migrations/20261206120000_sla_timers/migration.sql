
-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TicketEventType" ADD VALUE 'SLA_FIRST_RESPONSE_WARNING';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_FIRST_RESPONSE_BREACHED';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_RESOLUTION_WARNING';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_RESOLUTION_BREACHED';
ALTER TYPE "TicketEventType" ADD VALUE 'ESCALATED';

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "firstResponseBreachedAt" TIMESTAMP(3),
ADD COLUMN     "firstResponseWarnedAt" TIMESTAMP(3),
ADD COLUMN     "resolutionBreachedAt" TIMESTAMP(3),
ADD COLUMN     "resolutionWarnedAt" TIMESTAMP(3),
ADD COLUMN     "slaNextAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Ticket_slaNextAt_idx" ON "Ticket"("slaNextAt");


-- The SLA outcome and next timer of a ticket, kept on every write whoever makes it (portal, mail,
-- console, timers, bulk actions, benchmarks' bulk inserts):
-- * a target completed after its due time (first response given, ticket resolved, closed or
--   rejected) before any timer recorded the breach is missed all the same: its BreachedAt is the due
--   time it missed. While the clock is stopped (waiting on the customer) the due time is frozen, so
--   it is compared with the instant the clock stopped.
-- * slaNextAt: the next warning or breach of a target still running (not answered / not resolved,
--   the ticket open or in progress, its clock not stopped), null when there is none. The SLA timers
--   fire at it and the reconciler scans it by its index (modules/sla/timers.ts).
CREATE FUNCTION ticket_sla_outcome() RETURNS trigger AS $$
DECLARE
  stopped_at timestamp(3);
BEGIN
  IF TG_OP = 'UPDATE' THEN
    stopped_at := OLD."slaPausedAt";
    IF OLD."firstResponseAt" IS NULL AND NEW."firstResponseAt" IS NOT NULL AND NEW."firstResponseBreachedAt" IS NULL
       AND NEW."firstResponseDueAt" < COALESCE(stopped_at, NEW."firstResponseAt") THEN
      NEW."firstResponseBreachedAt" := NEW."firstResponseDueAt";
    END IF;
    IF OLD.status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER') AND NEW.status IN ('RESOLVED', 'CLOSED', 'REJECTED')
       AND NEW."resolutionBreachedAt" IS NULL
       AND NEW."resolutionDueAt" < COALESCE(NEW."slaPausedAt", NEW."resolvedAt", NEW."closedAt", NEW."updatedAt") THEN
      NEW."resolutionBreachedAt" := NEW."resolutionDueAt";
    END IF;
  END IF;
  NEW."slaNextAt" := CASE WHEN NEW.status IN ('OPEN', 'IN_PROGRESS') AND NEW."slaPausedAt" IS NULL THEN LEAST(
    CASE WHEN NEW."firstResponseAt" IS NULL AND NEW."firstResponseBreachedAt" IS NULL AND NEW."firstResponseWarnedAt" IS NULL THEN NEW."firstResponseWarnAt" END,
    CASE WHEN NEW."firstResponseAt" IS NULL AND NEW."firstResponseBreachedAt" IS NULL THEN NEW."firstResponseDueAt" END,
    CASE WHEN NEW."resolutionBreachedAt" IS NULL AND NEW."resolutionWarnedAt" IS NULL THEN NEW."resolutionWarnAt" END,
    CASE WHEN NEW."resolutionBreachedAt" IS NULL THEN NEW."resolutionDueAt" END) END;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER sla_outcome BEFORE INSERT OR UPDATE ON "Ticket" FOR EACH ROW EXECUTE FUNCTION ticket_sla_outcome();

-- Tickets opened before this migration: their next SLA event.
UPDATE "Ticket" SET "updatedAt" = "updatedAt" WHERE status IN ('OPEN', 'IN_PROGRESS');
