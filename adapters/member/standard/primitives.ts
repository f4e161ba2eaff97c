/**
 * Primitive value types of the consortium data standard v1 (docs/data-standard.md §2).
 * Amounts are integer minor units with an ISO 4217 currency; instants are ISO 8601 with an explicit
 * offset; calendar dates are ISO 8601 `YYYY-MM-DD`.
 */
import { z } from 'zod';
import { isNormalizedSubjectId } from '../../../protocol/subject';

/** Longest member reference (native id) accepted, in characters. */
export const MAX_REF_LENGTH = 128;
/** Longest free-text value (names) accepted, in characters. */
export const MAX_TEXT_LENGTH = 200;
/** Largest amount accepted, in minor units (10^13 fen = 100 billion yuan). */
export const MAX_AMOUNT_MINOR = 10_000_000_000_000;

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-](\d{2}):(\d{2}))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** True when `s` is an ISO 8601 timestamp with seconds and an explicit offset (§2.2). */
export function isIsoTimestamp(s: string): boolean {
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return false;
  if (!isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  return m[8] === 'Z' || (Number(m[9]) <= 14 && Number(m[10]) <= 59);
}

/** True when `s` is an ISO 8601 calendar date `YYYY-MM-DD` (§2.3). */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const currencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** True when `s` is an ISO 4217 alphabetic currency code known to the runtime (§2.1). */
export function isCurrencyCode(s: string): boolean {
  return /^[A-Z]{3}$/.test(s) && currencies.has(s);
}

/** True when `s` has no lone UTF-16 surrogate, so it can be stored as UTF-8 unchanged. */
export const isWellFormedText = (s: string): boolean => s.isWellFormed();

/** A member's own identifier of a record (order number, customer number...), §2.4. */
export const Ref = z
  .string()
  .min(1)
  .max(MAX_REF_LENGTH)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
  .refine(isWellFormedText, 'must be well-formed Unicode');
/** Non-negative integer amount in minor units of `currency` (fen for CNY), §2.1. */
export const AmountMinor = z.number().int().min(0).max(MAX_AMOUNT_MINOR);
/** ISO 4217 alphabetic currency code, §2.1. */
export const Currency = z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code');
/** ISO 8601 instant with offset, e.g. `2024-03-05T10:00:00+08:00`, §2.2. */
export const Timestamp = z.string().refine(isIsoTimestamp, 'must be an ISO 8601 timestamp with offset');
/** ISO 8601 calendar date `YYYY-MM-DD`, §2.3. */
export const CalendarDate = z.string().refine(isIsoDate, 'must be an ISO 8601 date YYYY-MM-DD');
/** Normalized subject identifier (`cn-rid:<ID>` or `tel:+<E.164>`), personal data, §2.5. */
export const SubjectId = z.string().refine(isNormalizedSubjectId, 'must be a normalized subject identifier');
/** Free text such as a name (personal data where flagged), §2.6. */
export const Text = z
  .string()
  .min(1)
  .max(MAX_TEXT_LENGTH)
  .refine((s) => isWellFormedText(s) && !s.includes('\u0000'), 'must be well-formed Unicode without NUL');
