import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, createZoneClock, formatTimestamp } from '../../../../../adapters/member/mapping/time';

/** The straightforward formatting (toISOString of the shifted instant) the fast path must equal. */
function reference(utcMs: number, off: number): string {
  const iso = new Date(utcMs + off * 60_000).toISOString();
  const abs = Math.abs(off);
  const wall = iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
  return `${wall}${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

describe('formatTimestamp', () => {
  it.each([
    ['Asia/Shanghai', Date.UTC(2025, 5, 10, 1, 33, 16), '2025-06-10T09:33:16+08:00'],
    ['-03:30', Date.UTC(2024, 1, 29, 2, 0, 0, 5), '2024-02-28T22:30:00.005-03:30'],
    ['Europe/Berlin', Date.UTC(2024, 2, 31, 1, 0, 0), '2024-03-31T03:00:00+02:00'],
  ])('%s: %s -> %s', (tz, ms, want) => {
    expect(formatTimestamp(ms, createZoneClock(tz))).toBe(want);
  });

  it('equals the ISO formatting of the shifted instant for any instant 1900-2999 and zone', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', '+05:45', '-09:30', 'UTC'];
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1900, 0, 2), max: Date.UTC(2999, 11, 30) }), fc.constantFrom(...zones), (ms, tz) => {
      const zone = createZoneClock(tz);
      expect(formatTimestamp(ms, zone)).toBe(reference(ms, zone.offsetAt(ms)));
    }), { numRuns: 2000 });
  });
});

describe('compilePattern', () => {
  it.each([
    ['YYYY/MM/DD', '2025/03/05', { y: 2025, mo: 3, d: 5, h: 0, mi: 0, s: 0, ms: 0 }],
    ['YYYY-MM-DD HH:mm:ss', '2025-12-31 23:59:59', { y: 2025, mo: 12, d: 31, h: 23, mi: 59, s: 59, ms: 0 }],
    ['D.M.YYYY H:mm:ss.SSS', '9.2.2024 7:05:00.250', { y: 2024, mo: 2, d: 9, h: 7, mi: 5, s: 0, ms: 250 }],
    ['YYYY/MM/DD', '2025/02/29', undefined],
    ['YYYY/MM/DD', '2025-02-01', undefined],
  ])('%s reads %s', (format, text, want) => {
    expect(compilePattern(format)(text)).toEqual(want);
  });
});
