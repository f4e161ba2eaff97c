import { describe, expect, it } from 'vitest';
import { auc, badRateAtApproval, computeMetrics, gini, ks } from '../../../../scoring/eval/metrics';

// Hand-computed cases. Scores: higher = riskier; labels: 1 = bad.
const cases: Array<[string, { s: number[]; y: number[]; auc: number; ks: number; br50: number }]> = [
  // pairs (bad, good): (0.35,0.1)+ (0.35,0.4)- (0.8,0.1)+ (0.8,0.4)+ => 3/4; cumulative gap max 0.5
  ['textbook 2x2', { s: [0.1, 0.4, 0.35, 0.8], y: [0, 0, 1, 1], auc: 0.75, ks: 0.5, br50: 0.5 }],
  ['perfect separation', { s: [0.1, 0.2, 0.8, 0.9], y: [0, 0, 1, 1], auc: 1, ks: 1, br50: 0 }],
  ['inverted', { s: [0.9, 0.8, 0.2, 0.1], y: [0, 0, 1, 1], auc: 0, ks: 1, br50: 1 }],
  ['all tied', { s: [0.5, 0.5, 0.5, 0.5], y: [0, 1, 0, 1], auc: 0.5, ks: 0, br50: 0.5 }],
  // 3 goods, 2 bads; bad at 0.3 ties one good (half credit): pairs: b0.3 vs g0.1 1, g0.3 0.5, g0.6 0; b0.7 vs all 1 => 4.5/6
  ['ties count half', { s: [0.1, 0.3, 0.3, 0.6, 0.7], y: [0, 0, 1, 0, 1], auc: 0.75, ks: 0.5, br50: 1 / 3 }],
];

describe('metrics', () => {
  it.each(cases)('%s', (_, c) => {
    expect(auc(c.s, c.y)).toBeCloseTo(c.auc, 12);
    expect(gini(c.s, c.y)).toBeCloseTo(2 * c.auc - 1, 12);
    expect(ks(c.s, c.y)).toBeCloseTo(c.ks, 12);
    expect(badRateAtApproval(c.s, c.y, 0.5)).toBeCloseTo(c.br50, 12);
  });

  it('returns NaN for AUC/KS when one class is missing', () => {
    expect(auc([0.1, 0.2], [0, 0])).toBeNaN();
    expect(ks([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('rejects bad input', () => {
    expect(() => auc([0.1], [2])).toThrow(RangeError);
    expect(() => auc([0.1, 0.2], [1])).toThrow(RangeError);
    expect(() => ks([Number.NaN, 0.2], [1, 0])).toThrow(RangeError);
    expect(() => badRateAtApproval([0.1], [1], 0)).toThrow(RangeError);
  });

  it('computeMetrics bundles everything', () => {
    const m = computeMetrics([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], [0.25, 1]);
    expect(m).toEqual({ n: 4, badRate: 0.5, auc: 0.75, ks: 0.5, gini: 0.5, badRateAtApproval: { '0.25': 0, '1': 0.5 } });
  });
});
