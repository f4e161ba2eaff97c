/**
 * Timestamps in signals and rosters: RFC 3339 UTC with whole seconds, `YYYY-MM-DDTHH:MM:SSZ`
 * (docs/protocol.md §3.2). One spelling per instant keeps canonical bytes unique.
 */
import { ProtocolError, type ProtocolErrorCode } from '../errors';

/** Pattern of a protocol timestamp. */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Parses a protocol timestamp to epoch milliseconds; throws `code` if malformed or not a real instant. */
export function parseTimestamp(s: string, code: ProtocolErrorCode = 'SIGNAL_SCHEMA'): number {
  if (typeof s !== 'string' || !TIMESTAMP_PATTERN.test(s)) throw new ProtocolError(code, 'timestamp must be YYYY-MM-DDTHH:MM:SSZ');
  const y = num(s, 0, 4);
  const mo = num(s, 5, 7);
  const d = num(s, 8, 10);
  const h = num(s, 11, 13);
  const mi = num(s, 14, 16);
  const se = num(s, 17, 19);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || se > 59) {
    throw new ProtocolError(code, 'timestamp is not a valid instant');
  }
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

function num(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/** Days in month `m` (1-12) of year `y` (proleptic Gregorian). */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Formats epoch milliseconds (or a Date) as a protocol timestamp, truncating to whole seconds. */
export function formatTimestamp(t: number | Date): string {
  const ms = typeof t === 'number' ? t : t.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Epoch ms of the first instant of the month after `YYYY-MM`, plus `years`. */
export function monthEndPlusYears(month: string, years: number): number {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)); // 1-based; as a 0-based month index this is "next month"
  return Date.UTC(y + years, m, 1);
}

/** Epoch ms of `ms` plus whole calendar `years` (UTC). */
export function plusYears(ms: number, years: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}
