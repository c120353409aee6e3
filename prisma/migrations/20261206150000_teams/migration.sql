
-- AlterEnum
ALTER TYPE "TicketEventType" ADD VALUE 'TEAM_CHANGED';

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'TEAM_ASSIGNED';

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "teamId" TEXT;

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId","userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE INDEX "TeamMember_userId_idx" ON "TeamMember"("userId");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Handing a ticket to another team is an edit like the others: it moves the version (tickets/version.ts).
CREATE OR REPLACE FUNCTION ticket_bump_version() RETURNS trigger AS $$
BEGIN
  IF NEW.version = OLD.version AND (NEW.status, NEW.priority, NEW."categoryId", NEW."productId", NEW."assigneeId", NEW."teamId", NEW.subject)
     IS DISTINCT FROM (OLD.status, OLD.priority, OLD."categoryId", OLD."productId", OLD."assigneeId", OLD."teamId", OLD.subject) THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

-- Team names are unique whatever their case ("Soporte" and "soporte" are one team).
CREATE UNIQUE INDEX "Team_name_lower_key" ON "Team" (lower(name));
