/**
 * Joint VIP tiers (issue 7 §4): the first tier (in policy order) whose grade set contains the final grade,
 * whose own-record condition holds, and for which enough members know the subject in good standing
 * (other members in good standing + this member when its own record is clean). Never when frozen or on fraud.
 * The result carries the `vip.status` signal payload (docs/protocol.md §3.4) to share with peers.
 */
import type { TENURE_BANDS } from '../../protocol/signals/bands';
import type { SignalData } from '../../protocol/signals/catalogue';
import type { PolicyFacts } from './facts';
import type { Grade, Policy } from './schema';

type TenureBand = (typeof TENURE_BANDS)[number];

/** `vip.status` signal data (the protocol's type, with a granted tier). */
export type VipStatusData = SignalData<'vip.status'> & { tier: 'silver' | 'gold' | 'platinum' };

/** A granted VIP tier. */
export interface VipGrant {
  tier: 'silver' | 'gold' | 'platinum';
  goodStandingMembers: number;
  benefits: Array<{ code: string; zh: string; en: string }>;
  /** Suggested signal expiry: asOf + policy.vip.validityDays. */
  validUntil: string;
  signal: VipStatusData;
}

function tenureOf(firstSeenAt: string | null, asOf: Date): TenureBand {
  const t = firstSeenAt === null ? Number.NaN : Date.parse(firstSeenAt);
  const days = Number.isNaN(t) ? 0 : Math.max(0, Math.floor((asOf.getTime() - t) / 86_400_000));
  if (days < 365) return 'lt1y';
  if (days < 3 * 365) return '1-3y';
  if (days < 5 * 365) return '3-5y';
  return 'gte5y';
}

/** Decide the VIP tier, or null. */
export function vipTier(grade: Grade, facts: PolicyFacts, frozen: boolean, policy: Policy, asOf: Date): VipGrant | null {
  if (frozen || facts.fraudConfirmed || facts.worstActiveBucket > 0) return null;
  for (const t of policy.vip.tiers) {
    if (!t.grades.includes(grade)) continue;
    const ownGood = facts.hasOwnHistory && facts.ownCurrentDpd === 0 && facts.ownMaxDpd12m <= t.maxOwnDpd12m;
    const members = facts.goodStandingOthers + (ownGood ? 1 : 0);
    if (!ownGood || members < t.minGoodStandingMembers) continue;
    return {
      tier: t.tier,
      goodStandingMembers: members,
      benefits: t.benefits.map((b) => ({ ...b })),
      validUntil: new Date(asOf.getTime() + policy.vip.validityDays * 86_400_000).toISOString(),
      signal: { tier: t.tier, tenure: tenureOf(facts.firstSeenAt, asOf), asOf: asOf.toISOString().slice(0, 7) },
    };
  }
  return null;
}
