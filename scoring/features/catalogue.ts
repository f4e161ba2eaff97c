/**
 * The feature catalogue (issue 7 §1): every model input, in the order of the `features` tensor columns.
 * Version "1". Adding, removing, renaming or reordering a feature, or changing a meaning, unit or missing rule,
 * requires a new `CATALOGUE_VERSION`; models declare the names they were trained on (`feature_names`).
 */

/** Version of the catalogue below; stored with every decision. */
export const CATALOGUE_VERSION = '1';

/** Where a feature comes from. */
export type FeatureSource = 'own' | 'consortium' | 'external';

/** One catalogue entry. */
export interface FeatureSpec {
  name: string;
  source: FeatureSource;
  zh: string;
  en: string;
  unit: string;
  /** The rule applied when the input is absent; the imputed value is `imputed`, and the feature is flagged missing. */
  missingRule: string;
  imputed: number;
  /**
   * Neutral reference value used by model-agnostic explanations (baseline substitution) for this feature:
   * the value of a typical subject with no adverse information.
   */
  reference: number;
}

const f = (
  name: string, source: FeatureSource, zh: string, en: string, unit: string,
  missingRule: string, imputed: number, reference: number,
): FeatureSpec => ({ name, source, zh, en, unit, missingRule, imputed, reference });

/** The catalogue, in column order. */
export const FEATURE_CATALOGUE: readonly FeatureSpec[] = Object.freeze([
  f('own_has_relationship', 'own', '本成员与客户是否有业务关系', 'Subject has a relationship with this member', '0/1', 'never missing: 0 when no own history', 0, 1),
  f('own_days_since_last_order', 'own', '距最近一笔订单的天数', 'Days since the last own order', 'days (cap 3650)', 'no order or no history: 3650', 3650, 30),
  f('own_months_on_book', 'own', '与本成员的关系时长', 'Months since the first own relationship event', 'months (cap 240)', 'no history: 0', 0, 24),
  f('own_order_count_12m', 'own', '近12个月订单数', 'Own orders in the last 12 months', 'count (cap 1000)', 'no history: 0', 0, 12),
  f('own_order_amount_12m_log', 'own', '近12个月订单金额（对数）', 'Own order amount, last 12 months, ln(1 + CNY)', 'ln(1+CNY)', 'no history: 0', 0, Math.log1p(6000)),
  f('own_on_time_count_12m', 'own', '近12个月按时还款期数', 'Instalments repaid on time in the last 12 months', 'count (cap 120)', 'no history: 0', 0, 6),
  f('own_max_dpd_12m', 'own', '近12个月最长逾期天数', 'Worst days past due in the last 12 months', 'days (cap 365)', 'no history: 0', 0, 0),
  f('own_current_dpd', 'own', '当前逾期天数', 'Current days past due', 'days (cap 365)', 'no history: 0', 0, 0),
  f('own_utilization', 'own', '本成员授信使用率', 'Utilization of the own credit line', 'ratio (cap 2)', 'no credit line: 0', 0, 0.3),
  f('own_refund_rate_12m', 'own', '近12个月退款率', 'Refund rate, last 12 months', 'ratio', 'no orders: 0', 0, 0.02),
  f('own_dispute_rate_12m', 'own', '近12个月争议率', 'Dispute rate, last 12 months', 'ratio', 'no orders: 0', 0, 0),
  f('cons_member_count', 'consortium', '有业务关系的其他成员数', 'Other members with a relationship (any live signal)', 'count', 'no signals: 0', 0, 1),
  f('cons_worst_overdue_bucket', 'consortium', '其他成员处最严重逾期档', 'Worst overdue bucket at other members (0 none, 1 M1 .. 4 M4+)', 'bucket 0-4', 'no overdue signal: 0', 0, 0),
  f('cons_recent_overdue_bucket', 'consortium', '其他成员处最近一次逾期档', 'Bucket of the most recent overdue at other members', 'bucket 0-4', 'no overdue signal: 0', 0, 0),
  f('cons_active_overdue_members', 'consortium', '当前未结清逾期的其他成员数', 'Other members with an overdue not followed by a cure', 'count', 'no overdue signal: 0', 0, 0),
  f('cons_cured_count', 'consortium', '其他成员处逾期已结清次数', 'Cures (repayment.cured) at other members', 'count', 'none: 0', 0, 0),
  f('cons_on_time_clean_months', 'consortium', '其他成员报告的最长按时还款窗口', 'Longest on-time window (ratio all or 95-100%) reported by another member', 'months (3/6/12/24)', 'none: 0', 0, 6),
  f('cons_credit_exposure_log', 'consortium', '其他成员已授信额度（对数）', 'Credit lines at other members, ln(1 + sum of limit band midpoints in CNY)', 'ln(1+CNY)', 'no credit.line: 0', 0, 0),
  f('cons_max_utilization', 'consortium', '其他成员处最高使用率', 'Highest utilization band midpoint at other members', 'ratio', 'no credit.line: 0', 0, 0),
  f('cons_refund_abuse_count', 'consortium', '其他成员报告的退款滥用次数', 'refund.abuse signals from other members', 'count', 'none: 0', 0, 0),
  f('cons_fraud_confirmed', 'consortium', '任一成员确认的欺诈', 'fraud.confirmed by any member (including this one)', '0/1', 'none: 0', 0, 0),
  f('ext_sesame_available', 'external', '是否取得芝麻分', 'A Sesame score was obtained', '0/1', 'unavailable or N/A: 0', 0, 1),
  f('ext_sesame_score', 'external', '芝麻分', 'Sesame credit score', 'points 350-950', 'unavailable or N/A: 600', 600, 650),
  f('ext_sesame_admittance', 'external', '芝麻准入结果', 'Sesame admittance: +1 admitted, -1 refused', '-1/0/+1', 'unavailable: 0', 0, 1),
  f('ext_wechat_payscore_eligible', 'external', '微信支付分服务资格', 'WeChat Pay Score eligibility: +1 eligible, -1 not eligible', '-1/0/+1', 'unavailable: 0', 0, 1),
]);

/** Catalogue names in column order. */
export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURE_CATALOGUE.map((s) => s.name));

/** Number of features (F in the model contract). */
export const FEATURE_COUNT = FEATURE_CATALOGUE.length;

/** Column index of a feature name; throws on an unknown name (a programming error). */
export function featureIndex(name: string): number {
  const i = FEATURE_NAMES.indexOf(name);
  if (i < 0) throw new Error(`unknown feature ${name}`);
  return i;
}
