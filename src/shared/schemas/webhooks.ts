import { z } from "zod";

// What /admin/webhooks renders: never a secret, except in the one answer that creates or rotates it.

export const webhook = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  includeInternalNotes: z.boolean(),
  active: z.boolean(),
  secretRotatedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const webhookList = z.array(webhook.extend({ pending: z.number(), failed: z.number() }));

export const webhookWithSecret = z.object({ webhook, secret: z.string() });

export const webhookDeliveries = z.array(
  z.object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(["PENDING", "SUCCEEDED", "FAILED"]),
    attempts: z.number(),
    manual: z.boolean(),
    lastStatusCode: z.number().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.date().nullable(),
    createdAt: z.date(),
    log: z.array(
      z.object({
        id: z.string(),
        number: z.number(),
        statusCode: z.number().nullable(),
        durationMs: z.number(),
        responseBody: z.string().nullable(),
        error: z.string().nullable(),
        createdAt: z.date(),
      }),
    ),
  }),
);
