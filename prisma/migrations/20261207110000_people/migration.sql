-- People (issue 16 item 2): deactivated staff, organizations with several mail domains and a
-- "members see each other's tickets" setting, customers joining their organization by address.

-- CreateTable
CREATE TABLE "OrganizationDomain" (
    "domain" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganizationDomain_pkey" PRIMARY KEY ("domain")
);

-- CreateIndex
CREATE INDEX "OrganizationDomain_organizationId_idx" ON "OrganizationDomain"("organizationId");

-- AddForeignKey
ALTER TABLE "OrganizationDomain" ADD CONSTRAINT "OrganizationDomain_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The single domain an organization had moves to its list of domains.
INSERT INTO "OrganizationDomain" ("domain", "organizationId")
SELECT lower("domain"), "id" FROM "Organization" WHERE "domain" IS NOT NULL AND "domain" <> ''
ON CONFLICT DO NOTHING;

-- DropIndex
DROP INDEX "Organization_domain_key";

-- AlterTable
ALTER TABLE "Organization" DROP COLUMN "domain",
ADD COLUMN     "membersSeeTickets" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "User_organizationId_idx" ON "User"("organizationId");

-- /admin/clientes: customers newest first in keyset pages, and a substring search over name, address
-- and company (trigram index; pg_trgm is created by the knowledge-base migration).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "User_customer_list_idx" ON "User" ("createdAt" DESC, id DESC) WHERE role = 'CUSTOMER';
CREATE INDEX "User_customer_search_idx" ON "User"
  USING gin ((lower(coalesce(name, '') || ' ' || email || ' ' || coalesce(company, ''))) gin_trgm_ops)
  WHERE role = 'CUSTOMER';

-- Every path that creates a customer (mail, portal, agent's phone ticket with its invitation,
-- sign-up, Google) inserts a User row: the row joins the organization owning its address's domain,
-- unless the writer already chose one. The domain is what follows the last '@', lower-cased.
CREATE FUNCTION user_organization_from_domain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."organizationId" IS NULL AND NEW.role = 'CUSTOMER' THEN
    SELECT d."organizationId" INTO NEW."organizationId"
    FROM "OrganizationDomain" d WHERE d."domain" = lower(substring(NEW.email FROM '@([^@]*)$'));
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER user_organization_from_domain BEFORE INSERT ON "User"
  FOR EACH ROW EXECUTE FUNCTION user_organization_from_domain();
