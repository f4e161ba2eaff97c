/**
 * Coarse value bands used in signal data (docs/protocol.md §3.3). Signals carry bands, never exact
 * figures (data minimization). Every band is a half-open interval `[lower, upper)` unless noted,
 * and each mapping function below is the normative way to turn an exact figure into its band.
 */
import { ProtocolError } from '../errors';

/** Money bands in CNY. Bounds in yuan: <1k, 1k-5k, 5k-10k, 10k-50k, 50k-100k, 100k-500k, >=500k. */
export const AMOUNT_BANDS = ['lt1k', '1k-5k', '5k-10k', '10k-50k', '50k-100k', '100k-500k', 'gte500k'] as const;
/** A money band (see {@link AMOUNT_BANDS}). */
export type AmountBand = (typeof AMOUNT_BANDS)[number];
/** Lower bounds of {@link AMOUNT_BANDS} in minor units (fen, 1 CNY = 100 fen). */
export const AMOUNT_BAND_LOWER_FEN = [0, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000, 50_000_000] as const;

/** Credit utilization bands: 0, (0,30%), [30,50%), [50,80%), [80,100%], >100%. */
export const UTILIZATION_BANDS = ['zero', 'lt30', '30-50', '50-80', '80-100', 'over100'] as const;
/** A utilization band (see {@link UTILIZATION_BANDS}). */
export type UtilizationBand = (typeof UTILIZATION_BANDS)[number];

/** Overdue buckets by days past due: M1 1-30, M2 31-60, M3 61-90, M4+ 91 or more. */
export const OVERDUE_BUCKETS = ['M1', 'M2', 'M3', 'M4+'] as const;
/** An overdue bucket (see {@link OVERDUE_BUCKETS}). */
export type OverdueBucket = (typeof OVERDUE_BUCKETS)[number];

/** Share of instalments paid on time: [0,50%), [50,80%), [80,95%), [95,100%), exactly 100%. */
export const ON_TIME_RATIO_BANDS = ['lt50', '50-80', '80-95', '95-100', 'all'] as const;
/** An on-time ratio band (see {@link ON_TIME_RATIO_BANDS}). */
export type OnTimeRatioBand = (typeof ON_TIME_RATIO_BANDS)[number];

/** Count bands: 1-2, 3-5, 6-11, 12-23, 24 or more. */
export const COUNT_BANDS = ['1-2', '3-5', '6-11', '12-23', '24+'] as const;
/** A count band (see {@link COUNT_BANDS}). */
export type CountBand = (typeof COUNT_BANDS)[number];

/** Customer tenure bands: <1 year, 1-3, 3-5, 5 years or more (days / 365). */
export const TENURE_BANDS = ['lt1y', '1-3y', '3-5y', 'gte5y'] as const;
/** A tenure band (see {@link TENURE_BANDS}). */
export type TenureBand = (typeof TENURE_BANDS)[number];

function assertNonNegativeInteger(n: number | bigint, what: string): number | bigint {
  const ok = typeof n === 'bigint' ? n >= 0n : Number.isSafeInteger(n) && n >= 0;
  if (!ok) throw new ProtocolError('SIGNAL_SCHEMA', `${what} must be a non-negative safe integer`);
  return n;
}

/** Maps an amount in minor units (fen; integer >= 0) to its {@link AmountBand}. */
export function amountBand(minorUnits: number | bigint): AmountBand {
  const v = assertNonNegativeInteger(minorUnits, 'amount (minor units)');
  for (let i = AMOUNT_BAND_LOWER_FEN.length - 1; i > 0; i--) {
    if (v >= AMOUNT_BAND_LOWER_FEN[i]!) return AMOUNT_BANDS[i]!;
  }
  return 'lt1k';
}

/**
 * Maps a utilization ratio (used / limit; finite, >= 0) to its {@link UtilizationBand}.
 * Exactly 0 is `zero`; 1.0 belongs to `80-100`; anything above 1.0 is `over100`.
 */
export function utilizationBand(ratio: number): UtilizationBand {
  if (!Number.isFinite(ratio) || ratio < 0) throw new ProtocolError('SIGNAL_SCHEMA', 'utilization ratio must be finite and >= 0');
  if (ratio === 0) return 'zero';
  if (ratio < 0.3) return 'lt30';
  if (ratio < 0.5) return '30-50';
  if (ratio < 0.8) return '50-80';
  if (ratio <= 1) return '80-100';
  return 'over100';
}

/** Maps days past due (integer) to its {@link OverdueBucket}; `null` when not overdue (<= 0). */
export function overdueBucket(daysPastDue: number): OverdueBucket | null {
  if (!Number.isSafeInteger(daysPastDue)) throw new ProtocolError('SIGNAL_SCHEMA', 'days past due must be an integer');
  if (daysPastDue <= 0) return null;
  if (daysPastDue <= 30) return 'M1';
  if (daysPastDue <= 60) return 'M2';
  if (daysPastDue <= 90) return 'M3';
  return 'M4+';
}

/** Maps (paid on time, total due) instalment counts to an {@link OnTimeRatioBand}; total must be >= 1. */
export function onTimeRatioBand(onTime: number, total: number): OnTimeRatioBand {
  assertNonNegativeInteger(onTime, 'on-time count');
  assertNonNegativeInteger(total, 'total count');
  if (total < 1 || onTime > total) throw new ProtocolError('SIGNAL_SCHEMA', 'need 0 <= onTime <= total and total >= 1');
  if (onTime === total) return 'all';
  const r = onTime / total;
  if (r < 0.5) return 'lt50';
  if (r < 0.8) return '50-80';
  if (r < 0.95) return '80-95';
  return '95-100';
}

/** Maps a count (integer >= 1) to its {@link CountBand}. */
export function countBand(count: number): CountBand {
  assertNonNegativeInteger(count, 'count');
  if (count < 1) throw new ProtocolError('SIGNAL_SCHEMA', 'count must be >= 1');
  if (count <= 2) return '1-2';
  if (count <= 5) return '3-5';
  if (count <= 11) return '6-11';
  if (count <= 23) return '12-23';
  return '24+';
}

/** Maps a customer tenure in whole days (integer >= 0) to its {@link TenureBand}. */
export function tenureBand(days: number): TenureBand {
  assertNonNegativeInteger(days, 'tenure days');
  if (days < 365) return 'lt1y';
  if (days < 3 * 365) return '1-3y';
  if (days < 5 * 365) return '3-5y';
  return 'gte5y';
}
