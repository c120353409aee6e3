
-- CreateTable
CREATE TABLE "MailTemplate" (
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MailTemplate_pkey" PRIMARY KEY ("kind","locale")
);


-- Every process caches the settings, mail templates and portal texts (settings/live-settings.ts) and
-- reloads them on this notification. NOTIFY is delivered at commit: a listener never reloads before
-- the change is visible, and a change rolled back is never announced.
CREATE FUNCTION "app_settings_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('app_settings_changed', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "AppSetting_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AppSetting" FOR EACH STATEMENT EXECUTE FUNCTION "app_settings_changed"();
CREATE TRIGGER "MailTemplate_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MailTemplate" FOR EACH STATEMENT EXECUTE FUNCTION "app_settings_changed"();
