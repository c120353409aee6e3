import type { Priority } from "~/shared/enums";
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
};

/** What SLA due times are counted with: the support hours and the targets. */
export interface SlaSettings {
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}
