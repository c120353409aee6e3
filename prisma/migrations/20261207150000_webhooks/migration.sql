
-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "events" TEXT[],
    "includeInternalNotes" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "secretSealed" TEXT NOT NULL,
    "secretRotatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "responseBody" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_createdAt_idx" ON "WebhookDelivery"("status", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_createdAt_idx" ON "WebhookAttempt"("deliveryId", "createdAt");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Staging: every change of a ticket writes TicketEvent rows (and messages Message rows) in its own
-- transaction, including the SLA timers' single statement (modules/sla/timers.ts). These triggers
-- turn those rows into one WebhookDelivery per matching active webhook, in that same transaction:
-- a change that commits has its deliveries, a change rolled back has none. NOTIFY is sent on commit
-- only; the workers enqueue on it, and the reconciler catches what a missed notification left.

CREATE FUNCTION webhook_iso(ts timestamp) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN ts IS NULL THEN NULL ELSE to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END
$$;

-- What a customer-facing system needs of a ticket (no internal notes, no staff-only data).
CREATE FUNCTION webhook_ticket_json(tid text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', t.id, 'number', t.number, 'trackingId', t."trackingId", 'subject', t.subject,
    'status', t.status, 'priority', t.priority, 'channel', t.channel,
    'category', CASE WHEN c.id IS NULL THEN NULL ELSE jsonb_build_object('id', c.id, 'slug', c.slug, 'name', c."nameEs", 'nameEn', c."nameEn") END,
    'product', CASE WHEN p.id IS NULL THEN NULL ELSE jsonb_build_object('id', p.id, 'name', p.name) END,
    'requester', jsonb_build_object('id', r.id, 'email', r.email, 'name', r.name),
    'assignee', CASE WHEN a.id IS NULL THEN NULL ELSE jsonb_build_object('id', a.id, 'name', a.name, 'email', a.email) END,
    'team', CASE WHEN tm.id IS NULL THEN NULL ELSE jsonb_build_object('id', tm.id, 'name', tm.name) END,
    'fields', (SELECT COALESCE(jsonb_object_agg(d.key, v.value), '{}'::jsonb)
               FROM "CustomFieldValue" v JOIN "CustomFieldDefinition" d ON d.id = v."fieldId" WHERE v."ticketId" = t.id),
    'createdAt', webhook_iso(t."createdAt"), 'updatedAt', webhook_iso(t."updatedAt"),
    'firstResponseAt', webhook_iso(t."firstResponseAt"), 'resolvedAt', webhook_iso(t."resolvedAt"), 'closedAt', webhook_iso(t."closedAt"),
    'firstResponseDueAt', webhook_iso(t."firstResponseDueAt"), 'resolutionDueAt', webhook_iso(t."resolutionDueAt"))
  FROM "Ticket" t
  JOIN "User" r ON r.id = t."requesterId"
  LEFT JOIN "User" a ON a.id = t."assigneeId"
  LEFT JOIN "Team" tm ON tm.id = t."teamId"
  LEFT JOIN "Category" c ON c.id = t."categoryId"
  LEFT JOIN "Product" p ON p.id = t."productId"
  WHERE t.id = tid
$$;

CREATE FUNCTION webhook_message_json(mid text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', m.id, 'ticketId', m."ticketId", 'internal', m.internal, 'channel', m.channel, 'automated', m.automated,
    'author', CASE WHEN u.id IS NULL THEN NULL ELSE jsonb_build_object('id', u.id, 'name', u.name, 'role', u.role) END,
    'bodyText', m."bodyText", 'bodyHtml', m."bodyHtml", 'createdAt', webhook_iso(m."createdAt"),
    'attachments', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', x.id, 'filename', x.filename, 'contentType', x."contentType", 'size', x.size) ORDER BY x."createdAt", x.id), '[]'::jsonb)
                    FROM "Attachment" x WHERE x."messageId" = m.id))
  FROM "Message" m LEFT JOIN "User" u ON u.id = m."authorId"
  WHERE m.id = mid
$$;

-- One delivery per active webhook subscribed to the type (internal notes only to those that opt in).
CREATE FUNCTION webhook_stage(event_id text, event_type text, occurred timestamp, data jsonb, internal boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d record;
BEGIN
  FOR d IN
    INSERT INTO "WebhookDelivery" (id, "webhookId", "eventId", "eventType", payload, "createdAt")
    SELECT 'wd' || replace(gen_random_uuid()::text, '-', ''), w.id, event_id, event_type,
      jsonb_build_object('id', event_id, 'type', event_type, 'occurredAt', webhook_iso(occurred), 'data', data),
      clock_timestamp() AT TIME ZONE 'UTC'
    FROM "Webhook" w
    WHERE w.active AND event_type = ANY (w.events) AND (NOT internal OR w."includeInternalNotes")
    RETURNING id
  LOOP
    PERFORM pg_notify('webhook_deliveries', d.id);
  END LOOP;
END
$$;

CREATE FUNCTION webhook_on_ticket_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  etype text;
  change jsonb;
  data jsonb;
BEGIN
  etype := CASE NEW.type
    WHEN 'CREATED' THEN 'ticket.created'
    WHEN 'STATUS_CHANGED' THEN 'ticket.updated'
    WHEN 'PRIORITY_CHANGED' THEN 'ticket.updated'
    WHEN 'ASSIGNED' THEN 'ticket.updated'
    WHEN 'TEAM_CHANGED' THEN 'ticket.updated'
    WHEN 'CATEGORY_CHANGED' THEN 'ticket.updated'
    WHEN 'CUSTOM_FIELD_CHANGED' THEN 'ticket.updated'
    WHEN 'SLA_FIRST_RESPONSE_BREACHED' THEN 'sla.breached'
    WHEN 'SLA_RESOLUTION_BREACHED' THEN 'sla.breached'
    WHEN 'EVALUATED' THEN 'evaluation.received'
    ELSE NULL END;
  IF etype IS NULL THEN RETURN NULL; END IF;
  -- Nothing to build when no webhook listens (the common case costs one index-free scan of a tiny table).
  IF NOT EXISTS (SELECT 1 FROM "Webhook" w WHERE w.active AND etype = ANY (w.events)) THEN RETURN NULL; END IF;

  data := jsonb_build_object('ticket', webhook_ticket_json(NEW."ticketId"));
  IF etype = 'ticket.created' THEN
    data := data || jsonb_build_object('message',
      (SELECT webhook_message_json(m.id) FROM "Message" m WHERE m."ticketId" = NEW."ticketId" AND NOT m.internal ORDER BY m."createdAt", m.id LIMIT 1));
  ELSIF etype = 'ticket.updated' THEN
    change := jsonb_build_object(
      'field', CASE NEW.type WHEN 'STATUS_CHANGED' THEN 'status' WHEN 'PRIORITY_CHANGED' THEN 'priority' WHEN 'ASSIGNED' THEN 'assignee'
        WHEN 'TEAM_CHANGED' THEN 'team' WHEN 'CATEGORY_CHANGED' THEN 'category' ELSE 'customField' END,
      'from', NEW."fromValue", 'to', NEW."toValue");
    IF NEW.type = 'CUSTOM_FIELD_CHANGED' THEN
      change := change || jsonb_build_object('fieldKey', (SELECT key FROM "CustomFieldDefinition" WHERE id = NEW."customFieldId"));
    END IF;
    data := data || jsonb_build_object('change', change);
  ELSIF etype = 'sla.breached' THEN
    data := data || jsonb_build_object('target', CASE NEW.type WHEN 'SLA_FIRST_RESPONSE_BREACHED' THEN 'firstResponse' ELSE 'resolution' END);
  ELSIF etype = 'evaluation.received' THEN
    data := data || jsonb_build_object('evaluation',
      (SELECT jsonb_build_object('id', e.id, 'helpful', e.helpful, 'comment', e.comment,
         'createdAt', webhook_iso(e."createdAt"), 'updatedAt', webhook_iso(e."updatedAt"))
       FROM "TicketEvaluation" e WHERE e."ticketId" = NEW."ticketId"));
  END IF;
  PERFORM webhook_stage('evt_' || NEW.id, etype, NEW."createdAt", data, false);
  RETURN NULL;
END
$$;

CREATE TRIGGER webhook_ticket_event AFTER INSERT ON "TicketEvent" FOR EACH ROW EXECUTE FUNCTION webhook_on_ticket_event();

-- Messages: a ticket's first message travels in ticket.created; every later one is message.created.
-- (A status change's reason, written by tickets/change-status.ts, has no REPLIED event: hence a trigger here.)
CREATE FUNCTION webhook_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "Webhook" w WHERE w.active AND 'message.created' = ANY (w.events) AND (NOT NEW.internal OR w."includeInternalNotes")) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."ticketId" = NEW."ticketId" AND m.id <> NEW.id) THEN RETURN NULL; END IF;
  PERFORM webhook_stage('evt_' || NEW.id, 'message.created', NEW."createdAt",
    jsonb_build_object('ticket', webhook_ticket_json(NEW."ticketId"), 'message', webhook_message_json(NEW.id)), NEW.internal);
  RETURN NULL;
END
$$;

CREATE TRIGGER webhook_message AFTER INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION webhook_on_message();
