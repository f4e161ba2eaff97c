import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePattern, createZoneClock, formatDate, formatTimestamp, formatWall, type WallTime,
} from '../../../../../adapters/member/mapping/time';

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

/** The regular-expression reading of a pattern (what every pattern used before the fixed-width fast path). */
function referencePattern(format: string): (text: string) => WallTime | undefined {
  const width: Record<string, string> = { YYYY: '(\\d{4})', MM: '(\\d{2})', DD: '(\\d{2})', HH: '(\\d{2})', mm: '(\\d{2})', ss: '(\\d{2})', SSS: '(\\d{3})' };
  const field: Record<string, keyof WallTime> = { YYYY: 'y', MM: 'mo', DD: 'd', HH: 'h', mm: 'mi', ss: 's', SSS: 'ms' };
  const fields: (keyof WallTime)[] = [];
  let source = '';
  let last = 0;
  for (const m of format.matchAll(/YYYY|MM|DD|HH|mm|ss|SSS/g)) {
    source += format.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + width[m[0]]!;
    fields.push(field[m[0]]!);
    last = m.index + m[0].length;
  }
  const re = new RegExp(`^${source}${format.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return (text) => {
    const m = re.exec(text);
    if (!m) return undefined;
    const w: WallTime = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0 };
    fields.forEach((f, i) => { w[f] = Number(m[i + 1]); });
    const leap = (w.y % 4 === 0 && w.y % 100 !== 0) || w.y % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][w.mo - 1] ?? 0;
    const ok = w.y >= 1900 && w.y <= 2999 && w.mo >= 1 && w.mo <= 12 && w.d >= 1 && w.d <= days && w.h <= 23 && w.mi <= 59 && w.s <= 59;
    return ok ? w : undefined;
  };
}

describe('fixed-width patterns', () => {
  const formats = ['YYYY-MM-DD HH:mm:ss', 'YYYY/MM/DD', 'YYYYMMDDHHmmss', 'DD.MM.YYYY HH:mm:ss.SSS', 'YYYY年MM月DD日', '(YYYY) MM|DD'];
  it('read exactly the texts (and wall times) the regular expression reads', () => {
    const texts = (format: string) => fc.oneof(
      // well-formed digits, mostly near the valid ranges
      fc.tuple(fc.oneof(fc.integer({ min: 1890, max: 3010 }), fc.integer({ min: 0, max: 9999 })), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 999 }))
        .map(([y, mo, d, h, ms]) => format.replace('YYYY', String(y).padStart(4, '0')).replace('MM', String(mo).padStart(2, '0')).replace('DD', String(d).padStart(2, '0'))
          .replace('HH', String(h).padStart(2, '0')).replace('mm', '07').replace('ss', '59').replace('SSS', String(ms).padStart(3, '0'))),
      fc.string({ maxLength: 25 }),
    ).chain((t) => fc.oneof(
      fc.constant(t),
      // one character replaced, inserted or removed
      fc.tuple(fc.nat({ max: Math.max(0, t.length) }), fc.constantFrom('', '0', '9', 'a', ' ', '-', '/', ':', '.', '\uff10', '\n')).map(([i, c]) => t.slice(0, i) + c + t.slice(i + 1)),
      fc.nat({ max: t.length }).map((i) => `${t.slice(0, i)}1${t.slice(i)}`),
    ));
    for (const format of formats) {
      const fast = compilePattern(format);
      const ref = referencePattern(format);
      fc.assert(fc.property(texts(format), (text) => {
        expect(fast(text)).toEqual(ref(text));
      }), { numRuns: 1500, seed: 7 });
    }
  });
});

describe('formatWall', () => {
  it('equals formatting zone.toUtc(w), and leaves that instant, in every zone incl. DST gaps and overlaps', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', '+05:45', '-09:30', 'UTC'];
    // days around the transitions of those zones (and ordinary days), every hour and odd minutes
    const day = fc.oneof(
      fc.constantFrom([2024, 3, 10], [2024, 11, 3], [2024, 3, 31], [2024, 10, 27], [2024, 4, 7], [2024, 10, 6], [1988, 4, 10], [1988, 9, 11], [1900, 1, 1], [2999, 12, 31]),
      fc.tuple(fc.integer({ min: 1900, max: 2999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })),
    );
    const wall = fc.tuple(day, fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 1, 29, 30, 59), fc.integer({ min: 0, max: 59 }), fc.constantFrom(0, 5, 999))
      .map(([[y, mo, d], h, mi, s, ms]): WallTime => ({ y: y!, mo: mo!, d: d!, h, mi, s, ms }));
    const sink = { instant: NaN };
    fc.assert(fc.property(wall, fc.constantFrom(...zones), fc.boolean(), (w, tz, asDate) => {
      const zone = createZoneClock(tz);
      const t = zone.toUtc(w);
      expect(formatWall(w, zone, asDate, sink)).toBe(asDate ? formatDate(t, zone) : formatTimestamp(t, zone));
      expect(sink.instant).toBe(t);
    }), { numRuns: 4000, seed: 11 });
  });

  it.each([
    // 02:30 does not exist in Berlin on 2024-03-31: the later offset applies, as before
    ['Europe/Berlin', { y: 2024, mo: 3, d: 31, h: 2, mi: 30, s: 0, ms: 0 }, '2024-03-31T03:30:00+02:00'],
    // 01:30 exists twice in New York on 2024-11-03: the earlier instant (EDT)
    ['America/New_York', { y: 2024, mo: 11, d: 3, h: 1, mi: 30, s: 0, ms: 0 }, '2024-11-03T01:30:00-04:00'],
    ['Asia/Shanghai', { y: 2025, mo: 6, d: 10, h: 9, mi: 33, s: 16, ms: 250 }, '2025-06-10T09:33:16.250+08:00'],
  ])('%s %j -> %s', (tz, w, want) => {
    expect(formatWall(w, createZoneClock(tz), false, { instant: NaN })).toBe(want);
  });
});
