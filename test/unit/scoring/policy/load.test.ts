import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../../../scoring/policy/load';
import shipped from '../../../../scoring/policy/default-policy.json';

const clone = () => JSON.parse(JSON.stringify(shipped)) as Record<string, any>;

describe('policy loading', () => {
  it('accepts the shipped default policy', () => {
    expect(defaultPolicy().policyVersion).toBe('default-2026.11.1');
    expect(parsePolicy(JSON.stringify(shipped)).ok).toBe(true);
  });

  const bad: Array<[string, (p: Record<string, any>) => void, RegExp]> = [
    ['thresholds out of order', (p) => { p.grades.B.maxPd = 0.01; }, /grades\.B\.maxPd: must be greater/],
    ['D does not cover PD 1', (p) => { p.grades.D.maxPd = 0.9; }, /grades\.D\.maxPd: must be 1/],
    ['missing grade', (p) => { delete p.grades.C; }, /grades\.C/],
    ['fractional money', (p) => { p.limits.capMinor = 10.5; }, /limits\.capMinor/],
    ['negative base', (p) => { p.limits.baseMinorByGrade.S = -1; }, /limits\.baseMinorByGrade\.S/],
    ['worse grade with a higher base', (p) => { p.limits.baseMinorByGrade.B = 99_000_000; }, /baseMinorByGrade\.B: must not exceed grade A/],
    ['freeze below early warning', (p) => { p.rules.freezeAboveDpd = 3; }, /rules\.freezeAboveDpd/],
    ['review tiers unordered', (p) => { p.review.reverse(); }, /review\.1\.aboveMinor/],
    ['unknown VIP tier', (p) => { p.vip.tiers[0].tier = 'diamond'; }, /vip\.tiers\.0\.tier/],
    ['unknown field', (p) => { p.extra = 1; }, /extra|Unrecognized/i],
    ['bad role name', (p) => { p.review[0].chain = ['Risk Analyst']; }, /review\.0\.chain\.0: role must be snake_case/],
  ];
  it.each(bad)('rejects %s with a clear path', (_, mutate, msg) => {
    const p = clone();
    mutate(p);
    const r = parsePolicy(p);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('POLICY_INVALID');
      expect(r.error.message).toMatch(msg);
      expect(r.error.issues.length).toBeGreaterThan(0);
    }
  });

  it('rejects text that is not JSON', () => {
    const r = parsePolicy('{ nope');
    expect(!r.ok && r.error.code).toBe('POLICY_NOT_JSON');
  });
});
