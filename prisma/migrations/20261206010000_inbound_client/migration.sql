-- AlterTable
ALTER TABLE "InboundMail" ADD COLUMN     "clientIp" TEXT,
ADD COLUMN     "helo" TEXT;
