-- CreateEnum
CREATE TYPE "InboundMailStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'DUPLICATE', 'IGNORED', 'HELD', 'UNPROCESSABLE');

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "parentTicketId" TEXT,
ADD COLUMN     "replyToken" TEXT;
-- Existing tickets get a random reply token before the column becomes required.
UPDATE "Ticket" SET "replyToken" = replace(gen_random_uuid()::text, '-', '') WHERE "replyToken" IS NULL;
ALTER TABLE "Ticket" ALTER COLUMN "replyToken" SET NOT NULL;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "automated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "emailMessageId" TEXT,
ADD COLUMN     "fullHtml" TEXT;

-- AlterTable
ALTER TABLE "OutboundEmail" ADD COLUMN     "fromName" TEXT,
ADD COLUMN     "inReplyTo" TEXT,
ADD COLUMN     "replyTo" TEXT;

-- CreateTable
CREATE TABLE "InboundMail" (
    "id" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "envelopeFrom" TEXT,
    "envelopeTo" TEXT[],
    "source" TEXT NOT NULL DEFAULT 'smtp',
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "InboundMailStatus" NOT NULL DEFAULT 'RECEIVED',
    "dedupeKey" TEXT,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "processedAt" TIMESTAMP(3),
    "ticketId" TEXT,
    "messageId" TEXT,

    CONSTRAINT "InboundMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InboundMail_messageId_key" ON "InboundMail"("messageId");

-- CreateIndex
CREATE INDEX "InboundMail_status_receivedAt_idx" ON "InboundMail"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundMail_dedupeKey_idx" ON "InboundMail"("dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_replyToken_key" ON "Ticket"("replyToken");

-- CreateIndex
CREATE UNIQUE INDEX "Message_emailMessageId_key" ON "Message"("emailMessageId");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_parentTicketId_fkey" FOREIGN KEY ("parentTicketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMail" ADD CONSTRAINT "InboundMail_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

