import { describe, expect, it } from 'vitest';
import { applyPolicy } from '../../../../scoring/policy/apply';
import type { PolicyFacts } from '../../../../scoring/policy/facts';
import { gradeOfPd } from '../../../../scoring/policy/grade';
import { jointLimit, reviewChain } from '../../../../scoring/policy/limit';
import { defaultPolicy } from '../../../../scoring/policy/load';

const policy = defaultPolicy();
const asOf = new Date('2026-11-01T00:00:00Z');
const facts = (over: Partial<PolicyFacts> = {}): PolicyFacts => ({
  fraudConfirmed: false, ownCurrentDpd: 0, ownMaxDpd12m: 0, worstActiveBucket: 0, goodStandingOthers: 2,
  hasOwnHistory: true, exposureMinor: 0, capacityMinor: 100_000_000, ownSpend12mMinor: 0,
  firstSeenAt: '2023-01-01T00:00:00Z', ...over,
});

describe('grades from PD (S <= 0.02 < A <= 0.05 < B <= 0.12 < C <= 0.3 < D)', () => {
  it.each([[0, 'S'], [0.02, 'S'], [0.0201, 'A'], [0.05, 'A'], [0.1, 'B'], [0.12, 'B'], [0.2, 'C'], [0.3, 'C'], [0.31, 'D'], [1, 'D']] as const)(
    'pd %s -> %s', (pd, g) => expect(gradeOfPd(pd, policy)).toBe(g));
  it('rejects non-probabilities', () => expect(() => gradeOfPd(1.5, policy)).toThrow(RangeError));
});

describe('hard rules', () => {
  const cases: Array<[string, { pd: number; f: Partial<PolicyFacts>; grade: string; status: string; limitZero: boolean; alerts: string[]; rules: string[] }]> = [
    ['clean S subject', { pd: 0.01, f: {}, grade: 'S', status: 'under_review', limitZero: false, alerts: [], rules: ['LIMIT_REVIEW_REQUIRED'] }],
    ['fraud anywhere => D, no limit, frozen', { pd: 0.01, f: { fraudConfirmed: true }, grade: 'D', status: 'frozen', limitZero: true, alerts: ['FRAUD_CONFIRMED'], rules: ['RULE_FRAUD_CONFIRMED'] }],
    ['own 7 days overdue => nothing yet', { pd: 0.1, f: { ownCurrentDpd: 7, worstActiveBucket: 1 }, grade: 'B', status: 'active', limitZero: false, alerts: [], rules: [] }],
    ['own 8 days overdue => early warning', { pd: 0.1, f: { ownCurrentDpd: 8, worstActiveBucket: 1 }, grade: 'B', status: 'active', limitZero: false, alerts: ['EARLY_WARNING_OVERDUE'], rules: ['RULE_OVERDUE_EARLY_WARNING'] }],
    ['own 30 days overdue => warning, not frozen', { pd: 0.1, f: { ownCurrentDpd: 30, worstActiveBucket: 1 }, grade: 'B', status: 'active', limitZero: false, alerts: ['EARLY_WARNING_OVERDUE'], rules: ['RULE_OVERDUE_EARLY_WARNING'] }],
    ['own 31 days overdue => frozen and capped at C (M2)', { pd: 0.01, f: { ownCurrentDpd: 31, worstActiveBucket: 2 }, grade: 'C', status: 'frozen', limitZero: true, alerts: ['EARLY_WARNING_OVERDUE', 'CREDIT_LINE_FROZEN'], rules: ['RULE_OVERDUE_GRADE_CAP', 'RULE_OVERDUE_EARLY_WARNING', 'RULE_OVERDUE_FREEZE'] }],
    ['M1 at another member => no cap', { pd: 0.01, f: { worstActiveBucket: 1 }, grade: 'S', status: 'under_review', limitZero: false, alerts: [], rules: ['LIMIT_REVIEW_REQUIRED'] }],
    ['active M2 at another member caps S at C', { pd: 0.01, f: { worstActiveBucket: 2 }, grade: 'C', status: 'active', limitZero: false, alerts: [], rules: ['RULE_OVERDUE_GRADE_CAP'] }],
    ['active M4+ keeps D as D', { pd: 0.5, f: { worstActiveBucket: 4 }, grade: 'D', status: 'active', limitZero: true, alerts: [], rules: ['RULE_OVERDUE_GRADE_CAP'] }],
    ['fraud plus overdue: fraud wins', { pd: 0.01, f: { fraudConfirmed: true, worstActiveBucket: 3, ownCurrentDpd: 70 }, grade: 'D', status: 'frozen', limitZero: true, alerts: ['FRAUD_CONFIRMED', 'EARLY_WARNING_OVERDUE', 'CREDIT_LINE_FROZEN'], rules: ['RULE_FRAUD_CONFIRMED', 'RULE_OVERDUE_GRADE_CAP', 'RULE_OVERDUE_EARLY_WARNING', 'RULE_OVERDUE_FREEZE'] }],
  ];
  it.each(cases)('%s', (_, c) => {
    const out = applyPolicy(c.pd, facts(c.f), policy, asOf);
    expect(out.grade).toBe(c.grade);
    expect(out.status).toBe(c.status);
    expect(out.limit.jointLimitMinor === 0).toBe(c.limitZero);
    expect(out.alerts.map((a) => a.code)).toEqual(c.alerts);
    expect(out.rules.map((r) => r.code)).toEqual(c.rules);
    expect(out.service).toEqual(policy.grades[out.grade].service);
    for (const r of out.rules) { expect(r.zh.length).toBeGreaterThan(0); expect(r.en).not.toMatch(/\{\w+\}/); }
  });
});

describe('joint limit', () => {
  const cases: Array<[string, { grade: 'S' | 'A' | 'B' | 'C' | 'D'; f: Partial<PolicyFacts>; want: number; capped?: boolean; source?: string }]> = [
    ['S base limited by assessed capacity', { grade: 'S', f: { capacityMinor: 12_345_678 }, want: 12_340_000, source: 'assessed' }],
    ['A base when capacity is larger', { grade: 'A', f: {}, want: 8_000_000 }],
    ['exposure deducts 50% of other lines', { grade: 'A', f: { exposureMinor: 3_000_000 }, want: 6_500_000 }],
    ['never negative', { grade: 'C', f: { exposureMinor: 30_000_000 }, want: 0 }],
    ['D has no base', { grade: 'D', f: {}, want: 0 }],
    ['capacity from own spend (50%)', { grade: 'B', f: { capacityMinor: null, ownSpend12mMinor: 2_000_000 }, want: 1_000_000, source: 'own_spend' }],
    ['no history default capacity', { grade: 'B', f: { capacityMinor: null, hasOwnHistory: false }, want: 500_000, source: 'no_history_default' }],
    ['rounded down to CNY 100', { grade: 'B', f: { capacityMinor: 1_234_599 }, want: 1_230_000 }],
  ];
  it.each(cases)('%s', (_, c) => {
    const l = jointLimit(c.grade, facts(c.f), policy);
    expect(l.jointLimitMinor).toBe(c.want);
    expect(Number.isSafeInteger(l.jointLimitMinor)).toBe(true);
    if (c.source) expect(l.capacitySource).toBe(c.source);
  });
  it('caps at capMinor', () => {
    const p = { ...policy, limits: { ...policy.limits, capMinor: 1_000_000 } };
    const l = jointLimit('S', facts(), p);
    expect(l).toMatchObject({ jointLimitMinor: 1_000_000, capped: true });
    expect(applyPolicy(0.01, facts(), p, asOf).rules.map((r) => r.code)).toEqual(['LIMIT_CAPPED']);
  });
});

describe('review routing (50,000 CNY automatic; above: risk analyst then finance; above 200,000: + committee)', () => {
  it.each([
    [0, []], [4_999_999, []], [5_000_000, []], [5_000_001, ['risk_analyst', 'finance_approver']],
    [20_000_000, ['risk_analyst', 'finance_approver']], [20_000_100, ['risk_analyst', 'finance_approver', 'credit_committee']],
  ] as const)('limit %s fen -> %j', (limit, chain) => expect(reviewChain(limit, policy)).toEqual(chain));

  it('sets status under_review with the chain, and frozen decisions need no review', () => {
    const big = applyPolicy(0.01, facts(), policy, asOf);
    expect(big.limit.jointLimitMinor).toBe(20_000_000);
    expect(big).toMatchObject({ status: 'under_review', reviewChain: ['risk_analyst', 'finance_approver'] });
    const small = applyPolicy(0.01, facts({ capacityMinor: 4_000_000 }), policy, asOf);
    expect(small).toMatchObject({ status: 'active', reviewChain: [] });
    const frozen = applyPolicy(0.01, facts({ ownCurrentDpd: 40, worstActiveBucket: 2 }), policy, asOf);
    expect(frozen).toMatchObject({ status: 'frozen', reviewChain: [] });
  });
});

describe('joint VIP tiers', () => {
  const cases: Array<[string, { pd: number; f: Partial<PolicyFacts>; tier: string | null }]> = [
    ['S with 3 good members (2 others + own) => platinum', { pd: 0.01, f: {}, tier: 'platinum' }],
    ['S with 2 good members => gold', { pd: 0.01, f: { goodStandingOthers: 1 }, tier: 'gold' }],
    ['S alone => none', { pd: 0.01, f: { goodStandingOthers: 0 }, tier: null }],
    ['A with 2 good members => silver', { pd: 0.04, f: { goodStandingOthers: 1 }, tier: 'silver' }],
    ['S with own 5-day past overdue => silver only', { pd: 0.01, f: { ownMaxDpd12m: 5 }, tier: 'silver' }],
    ['B => none', { pd: 0.1, f: {}, tier: null }],
    ['no own history => none', { pd: 0.01, f: { hasOwnHistory: false }, tier: null }],
    ['active overdue anywhere => none', { pd: 0.01, f: { worstActiveBucket: 1 }, tier: null }],
    ['fraud => none', { pd: 0.01, f: { fraudConfirmed: true }, tier: null }],
  ];
  it.each(cases)('%s', (_, c) => {
    const out = applyPolicy(c.pd, facts(c.f), policy, asOf);
    expect(out.vip?.tier ?? null).toBe(c.tier);
    if (out.vip) {
      expect(out.vip.signal).toEqual({ tier: c.tier, tenure: '3-5y', asOf: '2026-11' });
      expect(out.vip.validUntil).toBe('2027-01-30T00:00:00.000Z');
      expect(out.vip.benefits.length).toBeGreaterThan(0);
    }
  });
});
