import { describe, expect, it } from 'vitest';
import { CATALOGUE_VERSION, FEATURE_CATALOGUE, FEATURE_NAMES, featureIndex } from '../../../../scoring/features/catalogue';
import { computeFeatures } from '../../../../scoring/features/compute';
import type { ConsortiumSignalView, ScoringInputs } from '../../../../scoring/features/inputs';
import { summarizeSignals } from '../../../../scoring/features/consortium';

const asOf = new Date('2026-11-01T00:00:00Z');
const live = { issuedAt: '2026-06-01T00:00:00Z', expiresAt: '2027-06-01T00:00:00Z' };
const product = 'consumer_installment';
let li = 0;
const sig = (issuer: string, type: string, data: unknown, over: Partial<ConsortiumSignalView> = {}): ConsortiumSignalView => ({ issuer, type, data, ...live, logIndex: li++, ...over });
const unavailable = { status: 'unavailable', provider: 'p', reason: 'no consent' } as const;
const base = (over: Partial<ScoringInputs> = {}): ScoringInputs => ({
  subject: 's1', self: 'm1', own: null, signals: [], capacityMinor: null,
  external: { sesameScore: unavailable, sesameAdmittance: unavailable, wechatPayScore: unavailable }, ...over,
});
const v = (fv: ReturnType<typeof computeFeatures>, name: string) => fv.values[featureIndex(name)]!;

describe('feature catalogue', () => {
  it('is versioned, unique and fully documented', () => {
    expect(CATALOGUE_VERSION).toBe('1');
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    for (const f of FEATURE_CATALOGUE) {
      expect(f.name).toMatch(/^(own|cons|ext)_[a-z0-9_]+$/);
      expect(f.zh.length * f.en.length * f.unit.length * f.missingRule.length).toBeGreaterThan(0);
      expect(Number.isFinite(f.imputed) && Number.isFinite(f.reference)).toBe(true);
    }
  });
});

describe('computeFeatures', () => {
  it('applies missing-value rules when nothing is known', () => {
    const fv = computeFeatures(base(), asOf);
    expect(fv.names).toEqual(FEATURE_NAMES);
    expect(fv.values).toHaveLength(FEATURE_NAMES.length);
    FEATURE_CATALOGUE.forEach((f, j) => { if (fv.missing[j]) expect(fv.values[j]).toBe(Math.fround(f.imputed)); });
    expect(v(fv, 'own_has_relationship')).toBe(0);
    expect(v(fv, 'own_days_since_last_order')).toBe(3650);
    expect(v(fv, 'ext_sesame_score')).toBe(600);
    expect(fv.missing[featureIndex('ext_sesame_score')]).toBe(1);
    expect(fv.missing[featureIndex('own_has_relationship')]).toBe(0);
    expect(v(fv, 'ext_sesame_available')).toBe(0);
  });

  it('computes own features', () => {
    const fv = computeFeatures(base({ own: {
      lastOrderAt: '2026-10-22T00:00:00Z', firstSeenAt: '2025-11-01T00:00:00Z', orderCount12m: 12, orderAmount12mMinor: 600_000,
      onTimeCount12m: 6, dueCount12m: 6, maxDaysPastDue12m: 12, currentDaysPastDue: 3, creditLimitMinor: 1_000_000,
      creditBalanceMinor: 250_000, refundRate12m: 0.1, disputeRate12m: null,
    } }), asOf);
    expect(v(fv, 'own_has_relationship')).toBe(1);
    expect(v(fv, 'own_days_since_last_order')).toBe(10);
    expect(v(fv, 'own_months_on_book')).toBeCloseTo(365 / 30.4375, 4);
    expect(v(fv, 'own_order_amount_12m_log')).toBeCloseTo(Math.log1p(6000), 5);
    expect(v(fv, 'own_current_dpd')).toBe(3);
    expect(v(fv, 'own_utilization')).toBeCloseTo(0.25, 6);
    expect(v(fv, 'own_refund_rate_12m')).toBeCloseTo(0.1, 6);
    expect(fv.missing[featureIndex('own_dispute_rate_12m')]).toBe(1);
  });

  it('computes consortium features; expired, future and own signals do not count (fraud does)', () => {
    const signals = [
      sig('m2', 'credit.line', { product, limitBand: '10k-50k', utilizationBand: '50-80', asOf: '2026-05' }),
      sig('m2', 'repayment.overdue', { product, bucket: 'M2', amountBand: '1k-5k', asOf: '2026-05' }, { issuedAt: '2026-05-01T00:00:00Z' }),
      sig('m2', 'repayment.cured', { product, worstBucket: 'M2', method: 'paid_in_full', asOf: '2026-06' }, { issuedAt: '2026-07-01T00:00:00Z' }),
      sig('m3', 'repayment.overdue', { product, bucket: 'M1', amountBand: '1k-5k', asOf: '2026-09' }, { issuedAt: '2026-09-15T00:00:00Z' }),
      sig('m3', 'repayment.on_time', { product, window: '12m', instalments: '6-11', onTimeRatio: 'all', asOf: '2026-05' }),
      sig('m3', 'credit.line', { product, limitBand: 'gte500k', utilizationBand: 'lt30', asOf: '2026-05' }),
      sig('m4', 'refund.abuse', { severity: 'high', incidents: '3-5', amountBand: '1k-5k', asOf: '2026-05' }),
      sig('m5', 'repayment.overdue', { product, bucket: 'M4+', amountBand: '1k-5k', asOf: '2020-01' }, { expiresAt: '2026-10-31T23:59:59Z' }),
      sig('m6', 'repayment.overdue', { product, bucket: 'M3', amountBand: '1k-5k', asOf: '2026-11' }, { issuedAt: '2026-11-02T00:00:00Z' }),
      sig('m1', 'repayment.overdue', { product, bucket: 'M4+', amountBand: '1k-5k', asOf: '2026-05' }),
      sig('m1', 'fraud.confirmed', { category: 'first_party', confirmation: 'investigation', asOf: '2026-05' }),
      sig('m4', 'credit.line', { product, limitBand: 'weird', utilizationBand: 'zero', asOf: '2026-05' }),
    ];
    const fv = computeFeatures(base({ signals }), asOf);
    expect(v(fv, 'cons_member_count')).toBe(3); // m2, m3, m4 (m5 expired, m6 future, m1 is self)
    expect(v(fv, 'cons_worst_overdue_bucket')).toBe(2);
    expect(v(fv, 'cons_recent_overdue_bucket')).toBe(1);
    expect(v(fv, 'cons_active_overdue_members')).toBe(1); // m2 cured after its overdue
    expect(v(fv, 'cons_cured_count')).toBe(1);
    expect(v(fv, 'cons_on_time_clean_months')).toBe(12);
    expect(v(fv, 'cons_credit_exposure_log')).toBeCloseTo(Math.log1p((3_000_000 + 75_000_000) / 100), 4);
    expect(v(fv, 'cons_max_utilization')).toBeCloseTo(0.65, 6);
    expect(v(fv, 'cons_refund_abuse_count')).toBe(1);
    expect(v(fv, 'cons_fraud_confirmed')).toBe(1);
    const c = fv.consortium;
    expect(c.activeOverdue).toEqual([{ issuer: 'm3', bucket: 1 }]);
    expect(c.goodStandingMembers).toEqual([]); // fraud confirmed: nobody vouches
    expect(c.ignored.map((s) => s.issuer)).toEqual(['m4']);
    expect(c.evidence.some((e) => e.issuer === 'm5' || e.issuer === 'm6')).toBe(false);
    expect(c.evidence.filter((e) => e.type === 'fraud.confirmed')).toHaveLength(1);
  });

  it('lists good-standing members', () => {
    const c = summarizeSignals([
      sig('m2', 'repayment.on_time', { product, window: '6m', instalments: '3-5', onTimeRatio: '80-95', asOf: '2026-05' }),
      sig('m3', 'repayment.overdue', { product, bucket: 'M1', amountBand: 'lt1k', asOf: '2026-05' }),
      sig('m4', 'vip.status', { tier: 'gold', tenure: '1-3y', asOf: '2026-05' }),
    ], 'm1', asOf);
    expect(c.goodStandingMembers).toEqual(['m2', 'm4']);
    expect(c.onTimeCleanMonths).toBe(0);
  });

  it('encodes external scores', () => {
    const ok = <T>(value: T) => ({ status: 'ok' as const, value, provider: 'p', queriedAt: '2026-10-31T00:00:00Z', reference: 'r' });
    const fv = computeFeatures(base({ external: { sesameScore: ok(712), sesameAdmittance: ok(false), wechatPayScore: ok(true) } }), asOf);
    expect([v(fv, 'ext_sesame_available'), v(fv, 'ext_sesame_score'), v(fv, 'ext_sesame_admittance'), v(fv, 'ext_wechat_payscore_eligible')]).toEqual([1, 712, -1, 1]);
    const na = computeFeatures(base({ external: { sesameScore: ok(null), sesameAdmittance: unavailable, wechatPayScore: unavailable } }), asOf);
    expect([v(na, 'ext_sesame_available'), v(na, 'ext_sesame_score'), v(na, 'ext_sesame_admittance')]).toEqual([0, 600, 0]);
  });

  it('rejects an invalid asOf', () => expect(() => computeFeatures(base(), new Date('x'))).toThrow(RangeError));
});
