/**
 * The joint credit limit (issue 7 §4), integer minor units throughout:
 *
 *   capacity  = capacityMinor if assessed, else ownSpend12m x capacityFromSpendBps / 10000 with own history,
 *               else noHistoryCapacityMinor
 *   gross     = min(baseMinorByGrade[grade], capacity)
 *   deduction = floor(exposureMinor x exposureWeightBps / 10000)   (what other members already lend)
 *   limit     = roundDown(clamp(gross - deduction, 0, capMinor), roundDownToMinor)
 */
import type { PolicyFacts } from './facts';
import type { Grade, Policy } from './schema';

/** How a limit was computed (stored with the decision). */
export interface LimitBreakdown {
  currency: 'CNY';
  baseMinor: number;
  capacityMinor: number;
  capacitySource: 'assessed' | 'own_spend' | 'no_history_default';
  grossMinor: number;
  exposureMinor: number;
  exposureDeductionMinor: number;
  capMinor: number;
  /** True when the cap lowered the limit. */
  capped: boolean;
  /** The joint limit before freezes (0 when the exposure absorbs everything). */
  jointLimitMinor: number;
}

/** Compute the joint limit for a grade. */
export function jointLimit(grade: Grade, facts: PolicyFacts, policy: Policy): LimitBreakdown {
  const L = policy.limits;
  const baseMinor = L.baseMinorByGrade[grade];
  const [capacityMinor, capacitySource] = facts.capacityMinor !== null
    ? [Math.max(0, Math.floor(facts.capacityMinor)), 'assessed' as const]
    : facts.hasOwnHistory
      ? [Math.floor((facts.ownSpend12mMinor * L.capacityFromSpendBps) / 10_000), 'own_spend' as const]
      : [L.noHistoryCapacityMinor, 'no_history_default' as const];
  const grossMinor = Math.min(baseMinor, capacityMinor);
  const exposureDeductionMinor = Math.floor((facts.exposureMinor * L.exposureWeightBps) / 10_000);
  const net = Math.max(0, grossMinor - exposureDeductionMinor);
  const capped = net > L.capMinor;
  const bounded = Math.min(net, L.capMinor);
  return {
    currency: 'CNY', baseMinor, capacityMinor, capacitySource, grossMinor,
    exposureMinor: facts.exposureMinor, exposureDeductionMinor, capMinor: L.capMinor, capped,
    jointLimitMinor: bounded - (bounded % L.roundDownToMinor),
  };
}

/** The review chain for a limit: the roles of the highest tier whose `aboveMinor` the limit exceeds ([] = automatic). */
export function reviewChain(limitMinor: number, policy: Policy): string[] {
  let chain: string[] = [];
  for (const t of policy.review) if (limitMinor > t.aboveMinor) chain = [...t.chain];
  return chain;
}
