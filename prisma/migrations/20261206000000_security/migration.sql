-- AlterEnum
ALTER TYPE "OutboundEmailStatus" ADD VALUE 'HELD';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "replyToken" TEXT,
ADD COLUMN     "sessionsValidAfter" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "dmarcFailed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "unverifiedSender" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "InboundMail" ADD COLUMN     "authResults" JSONB;

-- AlterTable
ALTER TABLE "OutboundEmail" ADD COLUMN     "heldReason" TEXT;

-- CreateTable
CREATE TABLE "AdminAlert" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "AdminAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdminAlert_dedupeKey_key" ON "AdminAlert"("dedupeKey");

-- CreateIndex
CREATE INDEX "AdminAlert_resolvedAt_createdAt_idx" ON "AdminAlert"("resolvedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "User_replyToken_key" ON "User"("replyToken");

-- CreateIndex
CREATE INDEX "OutboundEmail_ticketId_createdAt_idx" ON "OutboundEmail"("ticketId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundEmail_to_createdAt_idx" ON "OutboundEmail"("to", "createdAt");

