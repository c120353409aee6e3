-- AlterEnum
ALTER TYPE "TicketEventType" ADD VALUE 'CUSTOM_FIELD_CHANGED';

-- AlterTable
ALTER TABLE "TicketEvent" ADD COLUMN     "customFieldId" TEXT;

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_customFieldId_fkey" FOREIGN KEY ("customFieldId") REFERENCES "CustomFieldDefinition"("id") ON DELETE SET NULL ON UPDATE CASCADE;

