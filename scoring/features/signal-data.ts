/**
 * Reading consortium signal payloads (docs/protocol.md §3.4, `protocol/signals/catalogue.ts`) into the few
 * numbers scoring uses. This file is the single adaptation point to the protocol's signal catalogue.
 * Only protocol *types* are imported; the tables below are typed by them, so a change of the protocol's
 * bands fails type-checking here. Payloads are read structurally: an unknown band gives `undefined` and the
 * signal is reported as ignored instead of breaking a decision.
 */
import type { AmountBand, OverdueBucket, UtilizationBand } from '../../protocol/signals/bands';
import type { ON_TIME_WINDOWS } from '../../protocol/signals/catalogue';

/** Overdue buckets ranked 1..4 (M1 = 1-30 days past due, M2 = 31-60, M3 = 61-90, M4+ = 91 or more). */
export const OVERDUE_BUCKET_RANK: Readonly<Record<OverdueBucket, number>> = Object.freeze({ M1: 1, M2: 2, M3: 3, 'M4+': 4 });

/**
 * Representative amount of each money band, minor units (fen): the midpoint of the band, and for the
 * open top band `gte500k` 1.5 x its lower bound (750,000 CNY).
 */
export const AMOUNT_BAND_MIDPOINT_FEN: Readonly<Record<AmountBand, number>> = Object.freeze({
  lt1k: 50_000,
  '1k-5k': 300_000,
  '5k-10k': 750_000,
  '10k-50k': 3_000_000,
  '50k-100k': 7_500_000,
  '100k-500k': 30_000_000,
  gte500k: 75_000_000,
});

/** Representative utilization ratio of each band (midpoint; `over100` = 1.1). */
export const UTILIZATION_BAND_MIDPOINT: Readonly<Record<UtilizationBand, number>> = Object.freeze({
  zero: 0,
  lt30: 0.15,
  '30-50': 0.4,
  '50-80': 0.65,
  '80-100': 0.9,
  over100: 1.1,
});

/** Months of each on-time observation window. */
export const ON_TIME_WINDOW_MONTHS: Readonly<Record<(typeof ON_TIME_WINDOWS)[number], number>> = Object.freeze({ '3m': 3, '6m': 6, '12m': 12, '24m': 24 });

/** Bucket rank of a days-past-due figure (0 when current). */
export function bucketOfDays(days: number): number {
  if (days <= 0) return 0;
  if (days <= 30) return 1;
  if (days <= 60) return 2;
  if (days <= 90) return 3;
  return 4;
}

function field(data: unknown, key: string): unknown {
  if (typeof data !== 'object' || data === null) return undefined;
  return (data as Record<string, unknown>)[key];
}

function lookup<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Bucket rank of a `repayment.overdue` payload, or undefined. */
export function overdueBucket(data: unknown): number | undefined {
  return lookup(OVERDUE_BUCKET_RANK, field(data, 'bucket'));
}

/**
 * Clean on-time months of a `repayment.on_time` payload: the window length when the on-time ratio band is
 * `all` or `95-100`, 0 for a worse ratio; undefined when unreadable.
 */
export function onTimeCleanMonths(data: unknown): number | undefined {
  const months = lookup(ON_TIME_WINDOW_MONTHS, field(data, 'window'));
  const ratio = field(data, 'onTimeRatio');
  if (months === undefined || typeof ratio !== 'string') return undefined;
  return ratio === 'all' || ratio === '95-100' ? months : 0;
}

/** Limit (minor units) and utilization (ratio) of a `credit.line` payload, or undefined. */
export function creditLine(data: unknown): { limitMinor: number; utilization: number } | undefined {
  const limitMinor = lookup(AMOUNT_BAND_MIDPOINT_FEN, field(data, 'limitBand'));
  const utilization = lookup(UTILIZATION_BAND_MIDPOINT, field(data, 'utilizationBand'));
  if (limitMinor === undefined || utilization === undefined) return undefined;
  return { limitMinor, utilization };
}
