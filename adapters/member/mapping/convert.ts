/**
 * Value converters for each standard field kind (docs/mappings.md §4-5). A converter returns the
 * standard value or a {@link Fail} naming the reject reason; it never echoes raw personal data.
 */
import { isProtocolError } from '../../../protocol/errors';
import { normalizeSubjectId } from '../../../protocol/subject';
import { isCurrencyCode, isWellFormedText, MAX_REF_LENGTH, MAX_TEXT_LENGTH } from '../standard/primitives';
import type { RejectReason } from '../clean/reasons';
import {
  compilePatternInto, createZoneClock, formatDate, formatTimestamp, formatWall, parseIso, type WallTime, type ZoneClock,
} from './time';

/** A failed conversion: reject reason and a message free of personal data. */
export class Fail {
  constructor(readonly reason: RejectReason, readonly message: string) {}
}

/**
 * What converters share while one row is mapped: the record's currency (set once the currency
 * field is converted; amounts need its exponent) and, after a time converter ran, the UTC instant
 * (ms) of the value it produced (timestamps; NaN otherwise), so later checks need not re-parse it.
 */
export interface ConvertContext {
  currency: string | undefined;
  instant: number;
}

/** A converter from a present native value (string after trimming, or a JSON scalar) to a standard value. */
export type Converter = (raw: unknown, ctx: ConvertContext) => unknown;

/**
 * Quotes a rejected value for a message: at most 40 characters, and runs of 7+ digits (which could
 * be an identifier or phone number in a misaligned column) masked, so messages never carry PII.
 */
const describe = (raw: unknown) =>
  typeof raw === 'string' ? `"${raw.slice(0, 40).replace(/\d{7,}/g, (d) => `<${d.length} digits>`)}"` : typeof raw;

/** Converts members' refs and texts. */
export function textConverter(max: number, kind: 'ref' | 'text'): Converter {
  return (raw) => {
    if (typeof raw !== 'string' && typeof raw !== 'number') return new Fail('invalid_value', `expected text, got ${typeof raw}`);
    const s = typeof raw === 'string' ? raw : String(raw);
    if (s.length > max) return new Fail('invalid_value', `longer than ${max} characters`);
    // a lone surrogate cannot be stored as UTF-8 (it would silently become U+FFFD)
    if (!isWellFormedText(s)) return new Fail('invalid_value', 'not well-formed Unicode (lone surrogate)');
    if (kind === 'text' && s.includes('\u0000')) return new Fail('invalid_value', 'contains a NUL character');
    if (kind === 'ref') {
      // U+0000-U+001F and U+007F, as the standard's Ref forbids
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x7f) return new Fail('invalid_value', 'contains control characters');
      }
    }
    return s;
  };
}

/** Converts identifiers with the protocol's normalizer; `phoneOnly` demands a `tel:` result. */
export function subjectConverter(phoneOnly: boolean): Converter {
  return (raw) => {
    if (typeof raw !== 'string' && typeof raw !== 'number') return new Fail('invalid_identifier', 'identifier is not text');
    try {
      const id = normalizeSubjectId(String(raw));
      if (phoneOnly && !id.startsWith('tel:')) return new Fail('invalid_identifier', 'not a phone number');
      return id;
    } catch (err) {
      if (isProtocolError(err)) return new Fail('invalid_identifier', `identifier rejected (${err.code})`);
      throw err;
    }
  };
}

const exponents = new Map<string, number>();
/** Minor-unit exponent of an ISO 4217 currency (2 for CNY, 0 for JPY). */
export function currencyExponent(currency: string): number {
  let e = exponents.get(currency);
  if (e === undefined) {
    e = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, e);
  }
  return e;
}

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * The common case of {@link amountConverter} without regular expressions or intermediate strings:
 * `[+-]digits[.digits]` with at most 15 significant digits after scaling (exact in a double) and no
 * non-zero decimals beyond `exp`. Returns the minor units, or undefined for anything else (which
 * the general path then converts or rejects, with its messages).
 */
function plainAmount(s: string, exp: number): number | undefined {
  const n = s.length;
  let i = 0;
  let sign = 1;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    sign = c0 === 45 ? -1 : 1;
    i = 1;
  }
  let v = 0;
  const intStart = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits + exp > 15) return undefined;
  let k = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return undefined;
    for (i++; i < n; i++, k++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      if (k < exp) v = v * 10 + c;
      else if (c !== 0) return undefined;
    }
    if (k === 0) return undefined;
  }
  for (; k < exp; k++) v *= 10;
  return sign * v;
}

/** Converts amounts given in major units (decimal yuan) or minor units (integer fen) to minor units. */
export function amountConverter(unit: 'major' | 'minor'): Converter {
  let lastCurrency: string | undefined;
  let lastExp = 0;
  return (raw, ctx) => {
    const currency = ctx.currency;
    if (unit === 'major' && (currency !== lastCurrency || lastCurrency === undefined)) {
      lastCurrency = currency;
      lastExp = currencyExponent(currency ?? 'CNY');
    }
    const plain = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
    const fast = plain.length > 0 ? plainAmount(plain, unit === 'major' ? lastExp : 0) : undefined;
    if (fast !== undefined) return fast;
    const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.replace(/^[¥￥]/, '').replace(/,/g, '') : '';
    const m = DECIMAL_RE.exec(s);
    if (!m) return new Fail('invalid_amount', `not a ${unit === 'major' ? 'decimal' : 'whole'} number: ${describe(raw)}`);
    const sign = m[1] === '-' ? -1 : 1;
    const frac = m[3] ?? '';
    if (unit === 'minor') {
      if (frac.replace(/0+$/, '') !== '') return new Fail('invalid_amount', 'minor-unit amount has decimals');
      const v = Number(m[2]);
      return Number.isSafeInteger(v) ? sign * v : new Fail('invalid_amount', 'amount too large');
    }
    const exp = currencyExponent(currency ?? 'CNY');
    if (frac.length > exp && /[1-9]/.test(frac.slice(exp))) {
      return new Fail('invalid_amount', `more than ${exp} decimals for ${currency ?? 'CNY'}`);
    }
    const v = Number(m[2] + frac.slice(0, exp).padEnd(exp, '0'));
    return Number.isSafeInteger(v) ? sign * v : new Fail('invalid_amount', 'amount too large');
  };
}

/** Converts currency codes (upper-cased). */
export const currencyConverter: Converter = (raw) => {
  const s = typeof raw === 'string' ? raw.toUpperCase() : '';
  return isCurrencyCode(s) ? s : new Fail('invalid_value', `not an ISO 4217 currency: ${describe(raw)}`);
};

/** Converts whole numbers. */
export const integerConverter: Converter = (raw) => {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
  return /^\d{1,9}$/.test(s) ? Number(s) : new Fail('invalid_value', `not a whole number: ${describe(raw)}`);
};

const TRUE = new Set(['true', '1', 'y', 'yes', '是', 't']);
const FALSE = new Set(['false', '0', 'n', 'no', '否', 'f']);
/** Converts booleans (true/false, 1/0, yes/no, 是/否) unless a value map decided already. */
export const booleanConverter: Converter = (raw) => {
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return new Fail('invalid_value', `not a boolean: ${describe(raw)}`);
};

/** Converts code values that must already be in the standard code list. */
export function codeConverter(list: readonly string[], mapped: boolean): Converter {
  const allowed = new Set(list);
  return (raw) =>
    typeof raw === 'string' && allowed.has(raw)
      ? raw
      : new Fail('unknown_code', `${mapped ? 'no value map entry for' : 'not a standard code:'} ${describe(raw)}`);
}

/**
 * Converts dates/instants in `format` read in zone `tz` to a timestamp (`date: false`) or calendar
 * date; leaves the value's UTC instant in `ctx.instant`.
 */
export function timeConverter(format: string, tz: string, asDate: boolean): Converter {
  const zone: ZoneClock = createZoneClock(tz);
  const out = (ms: number, ctx: ConvertContext) => {
    ctx.instant = ms;
    return asDate ? formatDate(ms, zone) : formatTimestamp(ms, zone);
  };
  if (format === 'epoch_ms' || format === 'epoch_s') {
    const scale = format === 'epoch_ms' ? 1 : 1000;
    return (raw, ctx) => {
      const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
      if (!/^\d{1,13}(\.\d+)?$/.test(s)) return new Fail('invalid_date', `not an epoch value: ${describe(s)}`);
      const ms = Math.round(Number(s) * scale);
      return ms >= Date.UTC(1900, 0, 1) && ms < Date.UTC(3000, 0, 1) ? out(ms, ctx) : new Fail('invalid_date', 'epoch value out of range');
    };
  }
  if (format === 'iso8601') {
    return (raw, ctx) => {
      const ms = typeof raw === 'string' ? parseIso(raw, zone) : undefined;
      return ms === undefined ? new Fail('invalid_date', `not ISO 8601: ${describe(raw)}`) : out(ms, ctx);
    };
  }
  const read = compilePatternInto(format);
  const wall: WallTime = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0 };
  return (raw, ctx) =>
    typeof raw === 'string' && read(raw, wall)
      ? formatWall(wall, zone, asDate, ctx)
      : new Fail('invalid_date', `does not match ${format}: ${describe(raw)}`);
}
