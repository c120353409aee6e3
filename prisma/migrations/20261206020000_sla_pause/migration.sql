-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "slaPausedAt" TIMESTAMP(3);

