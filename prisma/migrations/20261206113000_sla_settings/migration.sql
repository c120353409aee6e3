
-- CreateTable
CREATE TABLE "BusinessCalendar" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "week" JSONB NOT NULL,
    "holidayRegion" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BusinessCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusinessClosedDay" (
    "id" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "BusinessClosedDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "channels" "Channel"[],
    "calendarId" TEXT NOT NULL,
    "firstResponseHours" DOUBLE PRECISION NOT NULL,
    "firstResponseBusiness" BOOLEAN NOT NULL,
    "resolutionHighHours" DOUBLE PRECISION NOT NULL,
    "resolutionHighBusiness" BOOLEAN NOT NULL,
    "resolutionMediumHours" DOUBLE PRECISION NOT NULL,
    "resolutionMediumBusiness" BOOLEAN NOT NULL,
    "resolutionLowHours" DOUBLE PRECISION NOT NULL,
    "resolutionLowBusiness" BOOLEAN NOT NULL,
    "warnAtPercent" INTEGER NOT NULL,
    "closeWaitingAfterHours" DOUBLE PRECISION NOT NULL,
    "closeResolvedAfterHours" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_CategoryToSlaPolicy" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_CategoryToSlaPolicy_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "BusinessCalendar_name_key" ON "BusinessCalendar"("name");

-- CreateIndex
CREATE UNIQUE INDEX "BusinessClosedDay_calendarId_date_key" ON "BusinessClosedDay"("calendarId", "date");

-- CreateIndex
CREATE INDEX "SlaPolicy_position_idx" ON "SlaPolicy"("position");

-- CreateIndex
CREATE INDEX "_CategoryToSlaPolicy_B_index" ON "_CategoryToSlaPolicy"("B");

-- AddForeignKey
ALTER TABLE "BusinessClosedDay" ADD CONSTRAINT "BusinessClosedDay_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "BusinessCalendar"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_CategoryToSlaPolicy" ADD CONSTRAINT "_CategoryToSlaPolicy_A_fkey" FOREIGN KEY ("A") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_CategoryToSlaPolicy" ADD CONSTRAINT "_CategoryToSlaPolicy_B_fkey" FOREIGN KEY ("B") REFERENCES "SlaPolicy"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- One default calendar and one default policy.
CREATE UNIQUE INDEX "BusinessCalendar_default_key" ON "BusinessCalendar"("isDefault") WHERE "isDefault";
CREATE UNIQUE INDEX "SlaPolicy_default_key" ON "SlaPolicy"("isDefault") WHERE "isDefault";

-- Every process caches the SLA settings (sla/settings-store.ts) and drops them on this notification.
-- NOTIFY is delivered at commit, so a listener never reloads before the change is visible.
CREATE FUNCTION "sla_settings_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sla_settings_changed', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "BusinessCalendar_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "BusinessCalendar" FOR EACH STATEMENT EXECUTE FUNCTION "sla_settings_changed"();
CREATE TRIGGER "BusinessClosedDay_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "BusinessClosedDay" FOR EACH STATEMENT EXECUTE FUNCTION "sla_settings_changed"();
CREATE TRIGGER "SlaPolicy_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SlaPolicy" FOR EACH STATEMENT EXECUTE FUNCTION "sla_settings_changed"();
CREATE TRIGGER "CategoryToSlaPolicy_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "_CategoryToSlaPolicy" FOR EACH STATEMENT EXECUTE FUNCTION "sla_settings_changed"();
