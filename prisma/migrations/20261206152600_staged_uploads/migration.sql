-- CreateTable
CREATE TABLE "StagedUpload" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "consumed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "StagedUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StagedUpload_key_key" ON "StagedUpload"("key");

-- CreateIndex
CREATE INDEX "StagedUpload_ownerId_idx" ON "StagedUpload"("ownerId");

-- CreateIndex
CREATE INDEX "StagedUpload_consumed_createdAt_idx" ON "StagedUpload"("consumed", "createdAt");

