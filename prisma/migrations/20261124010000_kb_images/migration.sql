-- CreateTable
CREATE TABLE "KbImage" (
    "id" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "uploaderId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KbImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KbImage_uploaderId_idx" ON "KbImage"("uploaderId");

-- AddForeignKey
ALTER TABLE "KbImage" ADD CONSTRAINT "KbImage_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

