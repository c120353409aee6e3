// The events a webhook can subscribe to (staged by the triggers of migration 20261207150000_webhooks).
export const WEBHOOK_EVENT_TYPES = ["ticket.created", "ticket.updated", "message.created", "sla.breached", "evaluation.received"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_SIGNATURE_HEADER = "Ventanilla-Signature";
