-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TicketEventType" ADD VALUE 'MERGED_INTO';
ALTER TYPE "TicketEventType" ADD VALUE 'MERGED_FROM';
ALTER TYPE "TicketEventType" ADD VALUE 'EVALUATED';

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "mergedIntoId" TEXT;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "clientRequestId" TEXT,
ADD COLUMN     "mergedFromTicketId" TEXT;

-- CreateTable
CREATE TABLE "TicketEvaluation" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "comment" TEXT,
    "userId" TEXT,
    "agentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TicketEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TicketEvaluation_ticketId_key" ON "TicketEvaluation"("ticketId");

-- CreateIndex
CREATE INDEX "TicketEvaluation_helpful_createdAt_idx" ON "TicketEvaluation"("helpful", "createdAt");

-- CreateIndex
CREATE INDEX "TicketEvaluation_agentId_createdAt_idx" ON "TicketEvaluation"("agentId", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_mergedIntoId_idx" ON "Ticket"("mergedIntoId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_ticketId_clientRequestId_key" ON "Message"("ticketId", "clientRequestId");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_mergedFromTicketId_fkey" FOREIGN KEY ("mergedFromTicketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEvaluation" ADD CONSTRAINT "TicketEvaluation_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEvaluation" ADD CONSTRAINT "TicketEvaluation_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

