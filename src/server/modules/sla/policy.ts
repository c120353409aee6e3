import type { Channel, Priority } from "~/shared/enums";
import type { BusinessCalendar } from "./business-hours";

/** One time target: so many hours, counted on the business calendar or round the clock. */
export interface SlaTarget {
  hours: number;
  businessHours: boolean;
}

export interface SlaPolicy {
  firstResponse: SlaTarget;
  resolution: Record<Priority, SlaTarget>;
  /** Share of a target's time after which agents are warned (seed: 80%). */
  warnAtPercent: number;
  /** A ticket waiting on the customer with no answer for this many hours is closed (seed 000: 24). */
  closeWaitingAfterHours: number;
  /** A resolved ticket nobody replied to for this many hours is closed (seed 002: 72). */
  closeResolvedAfterHours: number;
}

/**
 * Seed 000: every ticket acknowledged within 24 hours of the support hours (Monday-Friday 8-17);
 * resolved within 24 h (alta), 48 h (mediana), 72 h (baja), counted the same way.
 */
export const SEED_POLICY: SlaPolicy = {
  firstResponse: { hours: 24, businessHours: true },
  resolution: {
    HIGH: { hours: 24, businessHours: true },
    MEDIUM: { hours: 48, businessHours: true },
    LOW: { hours: 72, businessHours: true },
  },
  warnAtPercent: 80,
  closeWaitingAfterHours: 24,
  closeResolvedAfterHours: 72,
};

/** What SLA due times are counted with: the support hours and the targets. */
export interface SlaSettings {
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}

/** What chooses a ticket's policy: its category and the channel it came in by. */
export interface SlaSubject {
  categoryId: string | null;
  channel: Channel;
}

/**
 * Where SLA settings come from (deps.sla): the admins' calendars and policies (sla/settings-store.ts),
 * or one fixed settings object (tests, fixedSla).
 */
export interface SlaSource {
  /** The settings of the first policy, by position, whose conditions the ticket meets; the default one otherwise. */
  forTicket(ticket: SlaSubject): Promise<SlaSettings>;
  /** Every policy's settings, the default one last: bounds over all tickets (the auto-close sweep). */
  all(): Promise<readonly SlaSettings[]>;
  /** Forget what was read: this process's own save is seen by its next question (other processes hear of it by NOTIFY). */
  dropCache(): void;
}

export function fixedSla(settings: SlaSettings): SlaSource {
  return { forTicket: async () => settings, all: async () => [settings], dropCache: () => {} };
}

/** A policy's conditions: empty sets match anything. */
export interface PolicyConditions {
  categoryIds: ReadonlySet<string>;
  channels: ReadonlySet<Channel>;
}

export function policyMatches(conditions: PolicyConditions, ticket: SlaSubject): boolean {
  const category = conditions.categoryIds.size === 0 || (ticket.categoryId !== null && conditions.categoryIds.has(ticket.categoryId));
  return category && (conditions.channels.size === 0 || conditions.channels.has(ticket.channel));
}
