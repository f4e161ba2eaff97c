/** Reason and alert codes raised by policy rules, with their Chinese and English texts (issue 7 §4-5). */

/** Stable codes of rule reasons and alerts. */
export type RuleCode =
  | 'RULE_FRAUD_CONFIRMED'
  | 'RULE_OVERDUE_GRADE_CAP'
  | 'RULE_OVERDUE_FREEZE'
  | 'RULE_OVERDUE_EARLY_WARNING'
  | 'LIMIT_EXPOSURE_DEDUCTED'
  | 'LIMIT_CAPPED'
  | 'LIMIT_REVIEW_REQUIRED';

/** Texts of each code; `{x}` placeholders are filled from the rule's parameters. */
export const RULE_TEXTS: Readonly<Record<RuleCode, { zh: string; en: string }>> = Object.freeze({
  RULE_FRAUD_CONFIRMED: { zh: '有成员确认了欺诈：评级为{grade}，不授予额度', en: 'A member confirmed fraud: grade {grade} and no credit limit' },
  RULE_OVERDUE_GRADE_CAP: { zh: '存在{bucket}及以上的未结清逾期：评级最高为{grade}', en: 'An active overdue of {bucket} or worse: grade capped at {grade}' },
  RULE_OVERDUE_FREEZE: { zh: '本成员逾期超过{days}天：冻结授信额度', en: 'Own overdue beyond {days} days: the credit line is frozen' },
  RULE_OVERDUE_EARLY_WARNING: { zh: '本成员逾期超过{days}天：触发预警', en: 'Own overdue beyond {days} days: early-warning alert' },
  LIMIT_EXPOSURE_DEDUCTED: { zh: '其他成员已授信额度扣减了{amount}元', en: 'Credit lines at other members reduced the limit by CNY {amount}' },
  LIMIT_CAPPED: { zh: '额度受上限{amount}元限制', en: 'The limit is capped at CNY {amount}' },
  LIMIT_REVIEW_REQUIRED: { zh: '额度超过{amount}元，需人工审核：{chain}', en: 'Limit above CNY {amount} needs human review: {chain}' },
});

/** A rule reason as stored in a decision. */
export interface RuleReason {
  code: RuleCode;
  zh: string;
  en: string;
  params: Record<string, string>;
}

/** Build a {@link RuleReason} with its texts filled in. */
export function ruleReason(code: RuleCode, params: Record<string, string>): RuleReason {
  const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);
  return { code, zh: fill(RULE_TEXTS[code].zh), en: fill(RULE_TEXTS[code].en), params };
}

/** Format minor units as CNY with two decimals. */
export const cny = (minor: number): string => (minor / 100).toFixed(2);
