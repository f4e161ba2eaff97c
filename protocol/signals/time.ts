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
  const ms = Date.parse(s);
  if (!Number.isFinite(ms) || formatTimestamp(ms) !== s) throw new ProtocolError(code, 'timestamp is not a valid instant');
  return ms;
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
