import { describe, it, expect } from 'vitest';
import {
  amountBand, utilizationBand, overdueBucket, onTimeRatioBand, countBand, tenureBand,
} from '../../../../protocol/signals/bands';

describe('band mapping', () => {
  const amounts: [number | bigint, string][] = [
    [0, 'lt1k'], [99_999, 'lt1k'], [100_000, '1k-5k'], [499_999, '1k-5k'], [500_000, '5k-10k'],
    [1_000_000, '10k-50k'], [5_000_000, '50k-100k'], [9_999_999, '50k-100k'], [10_000_000, '100k-500k'],
    [50_000_000, 'gte500k'], [10n ** 15n, 'gte500k'],
  ];
  it.each(amounts)('amountBand(%s fen) = %s', (fen, want) => expect(amountBand(fen)).toBe(want));

  const ratios: [number, string][] = [
    [0, 'zero'], [0.0001, 'lt30'], [0.2999, 'lt30'], [0.3, '30-50'], [0.5, '50-80'], [0.8, '80-100'], [1, '80-100'], [1.01, 'over100'],
  ];
  it.each(ratios)('utilizationBand(%s) = %s', (r, want) => expect(utilizationBand(r)).toBe(want));

  const days: [number, string | null][] = [[-3, null], [0, null], [1, 'M1'], [30, 'M1'], [31, 'M2'], [60, 'M2'], [61, 'M3'], [90, 'M3'], [91, 'M4+'], [400, 'M4+']];
  it.each(days)('overdueBucket(%s) = %s', (d, want) => expect(overdueBucket(d)).toBe(want));

  it('maps on-time ratios, counts and tenure', () => {
    expect([onTimeRatioBand(0, 4), onTimeRatioBand(2, 4), onTimeRatioBand(8, 10), onTimeRatioBand(19, 20), onTimeRatioBand(12, 12)])
      .toEqual(['lt50', '50-80', '80-95', '95-100', 'all']);
    expect([1, 2, 3, 5, 6, 11, 12, 23, 24].map(countBand)).toEqual(['1-2', '1-2', '3-5', '3-5', '6-11', '6-11', '12-23', '12-23', '24+']);
    expect([0, 364, 365, 1094, 1095, 1824, 1825].map(tenureBand)).toEqual(['lt1y', 'lt1y', '1-3y', '1-3y', '3-5y', '3-5y', 'gte5y']);
  });

  it('rejects out-of-domain inputs', () => {
    expect(() => amountBand(-1)).toThrow(/SIGNAL_SCHEMA/);
    expect(() => amountBand(1.5)).toThrow(/SIGNAL_SCHEMA/);
    expect(() => utilizationBand(NaN)).toThrow(/SIGNAL_SCHEMA/);
    expect(() => overdueBucket(1.5)).toThrow(/SIGNAL_SCHEMA/);
    expect(() => onTimeRatioBand(3, 2)).toThrow(/SIGNAL_SCHEMA/);
    expect(() => countBand(0)).toThrow(/SIGNAL_SCHEMA/);
  });
});
