-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "slaPausedAt" TIMESTAMP(3);

-- Tickets already waiting on the customer: their clock stopped when they last changed.
UPDATE "Ticket" SET "slaPausedAt" = "updatedAt" WHERE status = 'WAITING_ON_CUSTOMER' AND "slaPausedAt" IS NULL;
