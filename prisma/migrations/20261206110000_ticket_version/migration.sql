-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "firstResponseWarnAt" TIMESTAMP(3),
ADD COLUMN     "resolutionWarnAt" TIMESTAMP(3),
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- A ticket's version moves whenever a field agents edit changes, whoever changes it (console, mail,
-- timers, bulk actions): an edit made from an older version is refused instead of overwriting it.
-- An UPDATE that sets the version itself (custom fields live in another table) is left as it is.
CREATE FUNCTION ticket_bump_version() RETURNS trigger AS $$
BEGIN
  IF NEW.version = OLD.version AND (NEW.status, NEW.priority, NEW."categoryId", NEW."productId", NEW."assigneeId", NEW.subject)
     IS DISTINCT FROM (OLD.status, OLD.priority, OLD."categoryId", OLD."productId", OLD."assigneeId", OLD.subject) THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER ticket_version BEFORE UPDATE ON "Ticket" FOR EACH ROW EXECUTE FUNCTION ticket_bump_version();
