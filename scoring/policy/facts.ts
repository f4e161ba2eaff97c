/**
 * The facts a policy decides on, derived from the inputs and the consortium summary. Separating them keeps
 * every rule testable with a small table of facts and no signals.
 */
import type { ConsortiumSummary } from '../features/consortium';
import type { ScoringInputs } from '../features/inputs';
import { bucketOfDays } from '../features/signal-data';

/** Policy inputs besides the PD. */
export interface PolicyFacts {
  /** fraud.confirmed live at any member, this one included. */
  fraudConfirmed: boolean;
  /** Own current days past due (0 without own history). */
  ownCurrentDpd: number;
  /** Own worst days past due in 12 months (0 without own history). */
  ownMaxDpd12m: number;
  /** Worst active (uncured) overdue bucket rank at any member, own current DPD included (0 none). */
  worstActiveBucket: number;
  /** Other members in good standing (relationship, no active overdue, no refund abuse). */
  goodStandingOthers: number;
  /** We have own history with the subject. */
  hasOwnHistory: boolean;
  /** Sum of other members' credit.line band midpoints, minor units. */
  exposureMinor: number;
  /** Assessed repayment capacity, or null. */
  capacityMinor: number | null;
  /** Own 12-month order amount, minor units (0 without history). */
  ownSpend12mMinor: number;
  /** First own relationship event (for the VIP tenure band), or null. */
  firstSeenAt: string | null;
}

/** Derive {@link PolicyFacts}. */
export function policyFacts(inputs: ScoringInputs, c: ConsortiumSummary): PolicyFacts {
  const own = inputs.own;
  const ownDpd = Math.max(0, own?.currentDaysPastDue ?? 0);
  return {
    fraudConfirmed: c.fraudConfirmed,
    ownCurrentDpd: ownDpd,
    ownMaxDpd12m: Math.max(0, own?.maxDaysPastDue12m ?? 0),
    worstActiveBucket: Math.max(bucketOfDays(ownDpd), ...c.activeOverdue.map((o) => o.bucket)),
    goodStandingOthers: c.goodStandingMembers.length,
    hasOwnHistory: own !== null,
    exposureMinor: c.exposureMinor,
    capacityMinor: inputs.capacityMinor,
    ownSpend12mMinor: Math.max(0, own?.orderAmount12mMinor ?? 0),
    firstSeenAt: own?.firstSeenAt ?? null,
  };
}
