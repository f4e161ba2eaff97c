/**
 * Applying the policy to a PD (issue 7 §4), in this order:
 *  1. grade from PD thresholds;
 *  2. confirmed fraud anywhere: grade := rules.fraudGrade (D), no limit, status frozen;
 *  3. an active overdue of rules.gradeCapFromBucket (M2) or worse at any member (own current DPD included):
 *     grade := worse of grade and rules.gradeCapTo (C);
 *  4. own DPD > earlyWarningAboveDpd (7): early-warning alert; > freezeAboveDpd (30): status frozen, limit 0;
 *  5. VIP tier from the final grade; 6. joint limit from the final grade; 7. review chain by limit amount.
 * Status: frozen > under_review (review chain not empty) > active.
 */
import { OVERDUE_BUCKET_RANK } from '../features/signal-data';
import type { PolicyFacts } from './facts';
import { gradeOfPd, worseGrade } from './grade';
import { jointLimit, reviewChain, type LimitBreakdown } from './limit';
import { cny, ruleReason, type RuleReason } from './rule-texts';
import type { Grade, Policy } from './schema';
import { vipTier, type VipGrant } from './vip';

/** Decision status. */
export type DecisionStatus = 'active' | 'frozen' | 'under_review';

/** An alert for the node to raise (early-warning events). */
export interface Alert {
  code: 'EARLY_WARNING_OVERDUE' | 'CREDIT_LINE_FROZEN' | 'FRAUD_CONFIRMED';
  severity: 'warning' | 'critical';
  zh: string;
  en: string;
}

/** What the policy decided. */
export interface PolicyOutcome {
  modelGrade: Grade;
  grade: Grade;
  service: { zh: string; en: string };
  status: DecisionStatus;
  vip: VipGrant | null;
  limit: LimitBreakdown;
  reviewChain: string[];
  alerts: Alert[];
  rules: RuleReason[];
}

/** Apply `policy` to a PD and the facts about the subject. */
export function applyPolicy(pd: number, facts: PolicyFacts, policy: Policy, asOf: Date): PolicyOutcome {
  const R = policy.rules;
  const modelGrade = gradeOfPd(pd, policy);
  let grade = modelGrade;
  let frozen = false;
  const rules: RuleReason[] = [];
  const alerts: Alert[] = [];
  if (facts.fraudConfirmed) {
    grade = worseGrade(grade, R.fraudGrade);
    frozen = true;
    rules.push(ruleReason('RULE_FRAUD_CONFIRMED', { grade: R.fraudGrade }));
    alerts.push({ code: 'FRAUD_CONFIRMED', severity: 'critical', zh: '客户被确认欺诈', en: 'Subject has confirmed fraud' });
  }
  if (facts.worstActiveBucket >= OVERDUE_BUCKET_RANK[R.gradeCapFromBucket]) {
    const capped = worseGrade(grade, R.gradeCapTo);
    rules.push(ruleReason('RULE_OVERDUE_GRADE_CAP', { bucket: R.gradeCapFromBucket, grade: R.gradeCapTo }));
    grade = capped;
  }
  if (facts.ownCurrentDpd > R.earlyWarningAboveDpd) {
    rules.push(ruleReason('RULE_OVERDUE_EARLY_WARNING', { days: String(R.earlyWarningAboveDpd) }));
    alerts.push({ code: 'EARLY_WARNING_OVERDUE', severity: 'warning', zh: `本成员逾期${facts.ownCurrentDpd}天`, en: `Own overdue for ${facts.ownCurrentDpd} days` });
  }
  if (facts.ownCurrentDpd > R.freezeAboveDpd) {
    frozen = true;
    rules.push(ruleReason('RULE_OVERDUE_FREEZE', { days: String(R.freezeAboveDpd) }));
    alerts.push({ code: 'CREDIT_LINE_FROZEN', severity: 'critical', zh: '授信额度已冻结', en: 'Credit line frozen' });
  }
  const computed = jointLimit(grade, facts, policy);
  const limit: LimitBreakdown = frozen ? { ...computed, jointLimitMinor: 0 } : computed;
  if (!frozen && limit.exposureDeductionMinor > 0 && limit.grossMinor > 0) {
    rules.push(ruleReason('LIMIT_EXPOSURE_DEDUCTED', { amount: cny(Math.min(limit.exposureDeductionMinor, limit.grossMinor)) }));
  }
  if (!frozen && limit.capped) rules.push(ruleReason('LIMIT_CAPPED', { amount: cny(limit.capMinor) }));
  const chain = frozen ? [] : reviewChain(limit.jointLimitMinor, policy);
  if (chain.length > 0) {
    const tier = [...policy.review].reverse().find((t) => limit.jointLimitMinor > t.aboveMinor)!;
    rules.push(ruleReason('LIMIT_REVIEW_REQUIRED', { amount: cny(tier.aboveMinor), chain: chain.join(' -> ') }));
  }
  return {
    modelGrade,
    grade,
    service: { ...policy.grades[grade].service },
    status: frozen ? 'frozen' : chain.length > 0 ? 'under_review' : 'active',
    vip: vipTier(grade, facts, frozen, policy, asOf),
    limit,
    reviewChain: chain,
    alerts,
    rules,
  };
}
