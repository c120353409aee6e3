
-- AlterTable
ALTER TABLE "Category" ADD COLUMN     "position" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "usesProducts" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "CustomFieldDefinition" ADD COLUMN     "categoryId" TEXT,
ADD COLUMN     "helpTextEn" TEXT,
ADD COLUMN     "helpTextEs" TEXT;

-- CreateIndex
CREATE INDEX "CustomFieldDefinition_categoryId_position_idx" ON "CustomFieldDefinition"("categoryId", "position");

-- AddForeignKey
ALTER TABLE "CustomFieldDefinition" ADD CONSTRAINT "CustomFieldDefinition_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

