/**
 * What a merchant sees of a customer's decision (issue 8 §3): grade, VIP tier, currency, joint limit, available
 * amount, status, reason codes with text, decision id and expiry. Nothing else: no PD, no features, no peer
 * signals, and no reason text that carries another member's figures (the exposure deduction is named, not sized).
 */
import type { RuleCode, RuleReason } from '../../../scoring';
import type { InForceDecision } from '../../decisions/service';
import type { LineView } from '../contracts';

/** Merchant-facing texts of the rule reasons; `{x}` is filled only from policy constants (grade, bucket, days). */
const MERCHANT_REASON_TEXTS: Readonly<Record<RuleCode, { en: string; zh: string; params: readonly string[] }>> = {
  RULE_FRAUD_CONFIRMED: { en: 'A member confirmed fraud: grade {grade} and no credit limit', zh: '有成员确认了欺诈：评级为{grade}，不授予额度', params: ['grade'] },
  RULE_OVERDUE_GRADE_CAP: { en: 'An active overdue of {bucket} or worse: grade capped at {grade}', zh: '存在{bucket}及以上的未结清逾期：评级最高为{grade}', params: ['bucket', 'grade'] },
  RULE_OVERDUE_FREEZE: { en: 'Overdue beyond {days} days at the member: the credit line is frozen', zh: '本成员逾期超过{days}天：冻结授信额度', params: ['days'] },
  RULE_OVERDUE_EARLY_WARNING: { en: 'Overdue beyond {days} days at the member: early-warning alert', zh: '本成员逾期超过{days}天：触发预警', params: ['days'] },
  LIMIT_EXPOSURE_DEDUCTED: { en: 'Credit lines at other members reduced the limit', zh: '其他成员的授信额度扣减了本额度', params: [] },
  LIMIT_CAPPED: { en: 'The limit is capped by the member policy', zh: '额度受成员政策上限限制', params: [] },
  LIMIT_REVIEW_REQUIRED: { en: 'The limit needed human review', zh: '额度需人工审核', params: [] },
};

/** One reason as the merchant API returns it. */
export interface MerchantReason {
  code: string;
  en: string;
  zh: string;
}

/** The merchant-facing reason of a stored rule reason. */
export function merchantReason(r: RuleReason): MerchantReason {
  const t = MERCHANT_REASON_TEXTS[r.code];
  if (!t) return { code: r.code, en: r.code, zh: r.code };
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => (t.params.includes(k) ? (r.params[k] ?? '') : ''));
  return { code: r.code, en: fill(t.en), zh: fill(t.zh) };
}

/** The `POST /v1/joint-limits/query` answer (openapi `MerchantJointLimit`). */
export interface JointLimitView {
  decisionId: string;
  grade: string;
  vipTier: 'silver' | 'gold' | 'platinum' | null;
  currency: string;
  jointLimitMinor: number;
  availableMinor: number;
  status: 'active' | 'frozen' | 'under_review';
  reasons: MerchantReason[];
  decidedAt: string;
  expiresAt: string;
}

/** Builds the view from the decision in force and, when the ledger is wired, the customer's line. */
export function jointLimitView(d: InForceDecision, line: LineView | null, expiresAt: Date): JointLimitView {
  const limit = d.decision.limit.jointLimitMinor;
  const status = line?.status ?? d.status;
  const available = line ? line.availableMinor : status === 'active' ? limit : 0;
  return {
    decisionId: d.id,
    grade: d.decision.grade,
    vipTier: d.decision.vip?.tier ?? null,
    currency: line?.currency ?? d.decision.limit.currency,
    jointLimitMinor: line?.limitMinor ?? limit,
    availableMinor: Math.max(0, available),
    status,
    reasons: d.decision.reasons.rules.map(merchantReason),
    decidedAt: d.createdAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
}
