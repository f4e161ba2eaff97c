import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseTimestamp, formatTimestamp, monthEndPlusYears, plusYears } from '../../../../protocol/signals/time';

describe('protocol timestamps', () => {
  it.each([
    '2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z', '2026-01-01T00:00:60Z', '2026-01-01T00:00:00.000Z', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00+08:00',
  ])('rejects %s', (s) => expect(() => parseTimestamp(s)).toThrow(/SIGNAL_SCHEMA/));

  it('agrees with Date for every valid instant (property)', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
      const s = formatTimestamp(ms);
      expect(parseTimestamp(s)).toBe(Math.floor(ms / 1000) * 1000);
      expect(parseTimestamp(s)).toBe(Date.parse(s));
    }), { numRuns: 500 });
    expect(parseTimestamp('2024-02-29T23:59:59Z')).toBe(Date.parse('2024-02-29T23:59:59Z'));
  });

  it('computes lifetime anchors', () => {
    expect(formatTimestamp(monthEndPlusYears('2026-02', 5))).toBe('2031-03-01T00:00:00Z');
    expect(formatTimestamp(monthEndPlusYears('2026-12', 1))).toBe('2028-01-01T00:00:00Z');
    expect(formatTimestamp(plusYears(Date.parse('2024-02-29T10:00:00Z'), 1))).toBe('2025-03-01T10:00:00Z');
  });
});
