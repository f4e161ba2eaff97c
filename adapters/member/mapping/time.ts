/**
 * Date and time parsing for mappings (docs/mappings.md §5): native date formats, epoch values and
 * IANA time zones, producing the standard's ISO 8601 timestamps with offset and calendar dates.
 */

/** Special (non-pattern) date formats a mapping may name. */
export const SPECIAL_DATE_FORMATS = ['epoch_ms', 'epoch_s', 'iso8601'] as const;
/** Pattern tokens: year, month, day, hour (00-23), minute, second, millisecond. */
const TOKEN_RE = /YYYY|MM|DD|HH|mm|ss|SSS|M|D|H/g;
const TOKEN_PATTERN: Record<string, string> = {
  YYYY: '(\\d{4})', MM: '(\\d{2})', DD: '(\\d{2})', HH: '(\\d{2})', mm: '(\\d{2})', ss: '(\\d{2})', SSS: '(\\d{3})',
  M: '(\\d{1,2})', D: '(\\d{1,2})', H: '(\\d{1,2})',
};
const TOKEN_FIELD: Record<string, keyof WallTime> = {
  YYYY: 'y', MM: 'mo', M: 'mo', DD: 'd', D: 'd', HH: 'h', H: 'h', mm: 'mi', ss: 's', SSS: 'ms',
};

/** A wall-clock date and time, without zone. */
export interface WallTime { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number }

/** A compiled date pattern: returns the wall time or `undefined` when the text does not match. */
export type PatternParser = (text: string) => WallTime | undefined;

/** Returns why `format` is not a usable date format, or `undefined` when it is. */
export function dateFormatProblem(format: string): string | undefined {
  if ((SPECIAL_DATE_FORMATS as readonly string[]).includes(format)) return undefined;
  const tokens = format.match(TOKEN_RE) ?? [];
  for (const need of ['YYYY', 'M', 'D']) {
    if (!tokens.some((t) => t === need || t === need + need.slice(0, 1))) {
      return `date format needs ${need === 'YYYY' ? 'YYYY' : need + need} (tokens: YYYY MM DD HH mm ss SSS, or ${SPECIAL_DATE_FORMATS.join(', ')})`;
    }
  }
  if (new Set(tokens.map((t) => TOKEN_FIELD[t])).size !== tokens.length) return 'date format repeats a token';
  return undefined;
}

/** Compiles a date pattern such as `YYYY/MM/DD` or `YYYY-MM-DD HH:mm:ss`. */
export function compilePattern(format: string): PatternParser {
  const into = compilePatternInto(format);
  return (text) => {
    const w: WallTime = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0 };
    return into(text, w) ? w : undefined;
  };
}

/**
 * A compiled date pattern writing into a caller's {@link WallTime} (no allocation per value):
 * true when `text` matches and is a real date and time (fields not in the pattern are reset).
 */
export type PatternReader = (text: string, out: WallTime) => boolean;

const WALL_FIELDS: readonly (keyof WallTime)[] = ['y', 'mo', 'd', 'h', 'mi', 's', 'ms'];
const FIXED_WIDTH: Record<string, number> = { YYYY: 4, MM: 2, DD: 2, HH: 2, mm: 2, ss: 2, SSS: 3 };

/**
 * {@link compilePattern} into a caller's wall time. Patterns of fixed-width tokens only
 * (`YYYY MM DD HH mm ss SSS` and literal separators) are read by character codes without a regular
 * expression; patterns with `M`, `D` or `H` use the regular expression. Both accept exactly the
 * same texts.
 */
export function compilePatternInto(format: string): PatternReader {
  const fields: (keyof WallTime)[] = [];
  const starts: number[] = [];
  const widths: number[] = [];
  const litPos: number[] = [];
  const litCode: number[] = [];
  let fixed = true;
  let pos = 0;
  let source = '';
  let last = 0;
  const literal = (text: string) => {
    source += text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (let i = 0; i < text.length; i++, pos++) {
      litPos.push(pos);
      litCode.push(text.charCodeAt(i));
    }
  };
  for (const m of format.matchAll(TOKEN_RE)) {
    literal(format.slice(last, m.index));
    source += TOKEN_PATTERN[m[0]]!;
    fields.push(TOKEN_FIELD[m[0]]!);
    const width = FIXED_WIDTH[m[0]];
    if (width === undefined) fixed = false;
    starts.push(pos);
    widths.push(width ?? 0);
    pos += width ?? 0;
    last = m.index + m[0].length;
  }
  literal(format.slice(last));
  const n = fields.length;
  if (fixed) {
    const length = pos;
    const nLit = litPos.length;
    const code = fields.map((f) => WALL_FIELDS.indexOf(f));
    return (text, w) => {
      if (text.length !== length) return false;
      for (let i = 0; i < nLit; i++) if (text.charCodeAt(litPos[i]!) !== litCode[i]!) return false;
      let y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let p = starts[i]!, end = p + widths[i]!; p < end; p++) {
          const c = text.charCodeAt(p) - 48;
          if (c < 0 || c > 9) return false;
          v = v * 10 + c;
        }
        switch (code[i]) {
          case 0: y = v; break;
          case 1: mo = v; break;
          case 2: d = v; break;
          case 3: h = v; break;
          case 4: mi = v; break;
          case 5: s = v; break;
          default: ms = v;
        }
      }
      w.y = y; w.mo = mo; w.d = d; w.h = h; w.mi = mi; w.s = s; w.ms = ms;
      return isValidWall(w);
    };
  }
  const re = new RegExp(`^${source}$`);
  return (text, w) => {
    const m = re.exec(text);
    if (!m) return false;
    w.y = 0; w.mo = 1; w.d = 1; w.h = 0; w.mi = 0; w.s = 0; w.ms = 0;
    for (let i = 0; i < n; i++) w[fields[i]!] = +m[i + 1]!;
    return isValidWall(w);
  };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isValidWall(w: WallTime): boolean {
  if (w.y < 1900 || w.y > 2999 || w.mo < 1 || w.mo > 12 || w.d < 1) return false;
  const leap = (w.y % 4 === 0 && w.y % 100 !== 0) || w.y % 400 === 0;
  if (w.d > (w.mo === 2 && leap ? 29 : DAYS_IN_MONTH[w.mo - 1]!)) return false;
  return w.h <= 23 && w.mi <= 59 && w.s <= 59;
}

/** True when `tz` is an IANA time zone name known to the runtime or a fixed offset `+08:00`. */
export function isTimeZone(tz: string): boolean {
  if (/^[+-]\d{2}:\d{2}$/.test(tz)) return Number(tz.slice(1, 3)) <= 14 && Number(tz.slice(4)) <= 59;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Offsets (minutes east of UTC) of one time zone, cached per UTC hour. */
export interface ZoneClock {
  /** Offset in minutes at UTC instant `utcMs`. */
  offsetAt(utcMs: number): number;
  /** UTC instant of a wall time in this zone (the earlier one when a wall time is ambiguous). */
  toUtc(w: WallTime): number;
}

/** Builds a {@link ZoneClock} for an IANA zone or fixed offset (validate with {@link isTimeZone} first). */
export function createZoneClock(tz: string): ZoneClock {
  let offsetAt: (utcMs: number) => number;
  if (/^[+-]\d{2}:\d{2}$/.test(tz)) {
    const fixed = (tz.startsWith('-') ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4)));
    offsetAt = () => fixed;
  } else {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    // direct-mapped cache of offsets by UTC hour (65,536 slots = 7.5 years of distinct hours);
    // hours of 1900..2999 fit int32, and no hour equals the empty tag
    const tags = new Int32Array(1 << 16).fill(-0x80000000);
    const offs = new Int32Array(1 << 16);
    offsetAt = (utcMs) => {
      const hour = Math.floor(utcMs / 3_600_000);
      const slot = hour & 0xffff;
      if (tags[slot] === hour) return offs[slot]!;
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(new Date(hour * 3_600_000))) p[part.type] = Number(part.value);
      const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
      const off = Math.round((wall - hour * 3_600_000) / 60_000);
      if (hour === (hour | 0)) {
        tags[slot] = hour;
        offs[slot] = off;
      }
      return off;
    };
  }
  return {
    offsetAt,
    toUtc(w) {
      const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms);
      const o1 = offsetAt(asUtc);
      const t = asUtc - o1 * 60_000;
      const o2 = offsetAt(t);
      return o2 === o1 ? t : asUtc - o2 * 60_000;
    },
  };
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `00`..`99`, and `.000`..`.999` for milliseconds (formatting is on the import's hot path). */
const TWO = Array.from({ length: 100 }, (_, i) => pad(i));
const MILLIS = Array.from({ length: 1000 }, (_, i) => (i ? `.${pad(i, 3)}` : ''));
const offsetSuffixes = new Map<number, string>();

let lastOffset = NaN;
let lastSuffix = '';

/** `+08:00` for an offset of 480 minutes. */
function offsetSuffix(off: number): string {
  if (off === lastOffset) return lastSuffix;
  let s = offsetSuffixes.get(off);
  if (s === undefined) {
    const abs = Math.abs(off);
    s = `${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    offsetSuffixes.set(off, s);
  }
  lastOffset = off;
  lastSuffix = s;
  return s;
}

/** Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm), written to `civil`. */
const civil = { y: 0, m: 0, d: 0 };
function civilFromDays(days: number): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  civil.d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  civil.m = mp < 10 ? mp + 3 : mp - 9;
  civil.y = yoe + era * 400 + (civil.m <= 2 ? 1 : 0);
}

/** Formats UTC instant `utcMs` as ISO 8601 with the zone's offset, e.g. `2024-03-05T10:00:00+08:00`. */
export function formatTimestamp(utcMs: number, zone: ZoneClock): string {
  const off = zone.offsetAt(utcMs);
  // the shifted instant's UTC fields are the local wall time
  const local = utcMs + off * 60_000;
  const days = Math.floor(local / 86_400_000);
  civilFromDays(days);
  if (!Number.isInteger(local) || civil.y < 1000 || civil.y > 9999) {
    const d = new Date(local);
    const y = d.getUTCFullYear();
    const year = y >= 1000 && y <= 9999 ? String(y) : d.toISOString().slice(0, 4);
    return `${year}-${TWO[d.getUTCMonth() + 1]}-${TWO[d.getUTCDate()]}T${TWO[d.getUTCHours()]}:${TWO[d.getUTCMinutes()]}:${TWO[d.getUTCSeconds()]}${MILLIS[d.getUTCMilliseconds()]}${offsetSuffix(off)}`;
  }
  let rem = local - days * 86_400_000;
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const mi = Math.floor(rem / 60_000);
  rem -= mi * 60_000;
  const s = Math.floor(rem / 1000);
  return `${civil.y}-${TWO[civil.m]}-${TWO[civil.d]}T${TWO[h]}:${TWO[mi]}:${TWO[s]}${MILLIS[rem - s * 1000]}${offsetSuffix(off)}`;
}

/** Formats UTC instant `utcMs` as the calendar date `YYYY-MM-DD` in the zone. */
export function formatDate(utcMs: number, zone: ZoneClock): string {
  const local = new Date(utcMs + zone.offsetAt(utcMs) * 60_000);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
}

/** Where {@link formatWall} and the mapping's time converters leave the UTC instant of the value. */
export interface InstantSink { instant: number }

/**
 * Formats wall time `w` (valid, see {@link compilePatternInto}) read in `zone` as ISO 8601 with
 * offset (or as its calendar date), exactly as `formatTimestamp(zone.toUtc(w), zone)` (or
 * `formatDate`) would, and leaves that UTC instant in `sink.instant`. When the wall time exists
 * once in the zone (no DST gap) the text is built from the wall fields and the cached offset
 * suffix without a `Date`.
 */
export function formatWall(w: WallTime, zone: ZoneClock, asDate: boolean, sink: InstantSink): string {
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms);
  const o1 = zone.offsetAt(asUtc);
  const t = asUtc - o1 * 60_000;
  const o2 = zone.offsetAt(t);
  if (o1 === o2) {
    // toUtc gives t, and t shifted by its own offset o1 is the wall time itself
    sink.instant = t;
    const date = `${w.y}-${TWO[w.mo]}-${TWO[w.d]}`;
    return asDate ? date : `${date}T${TWO[w.h]}:${TWO[w.mi]}:${TWO[w.s]}${MILLIS[w.ms]}${offsetSuffix(o1)}`;
  }
  const u = asUtc - o2 * 60_000;
  sink.instant = u;
  return asDate ? formatDate(u, zone) : formatTimestamp(u, zone);
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO 8601 date or date-time (offset optional; without one the zone applies) into a UTC
 * instant, or `undefined` when invalid.
 */
export function parseIso(text: string, zone: ZoneClock): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const w: WallTime = {
    y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]), h: Number(m[4] ?? 0), mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0), ms: Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0')),
  };
  if (!isValidWall(w)) return undefined;
  const off = m[8];
  if (off === undefined) return zone.toUtc(w);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms);
  if (off === 'Z') return asUtc;
  const digits = off.replace(':', '');
  const mins = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return asUtc - (off.startsWith('-') ? -mins : mins) * 60_000;
}
