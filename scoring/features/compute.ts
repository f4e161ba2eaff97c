/**
 * `computeFeatures` (issue 7 §1): the feature vector of one subject, in catalogue order, with the
 * missing-value rules of {@link FEATURE_CATALOGUE} applied and each imputed column flagged.
 */
import { CATALOGUE_VERSION, FEATURE_CATALOGUE, FEATURE_COUNT, FEATURE_NAMES } from './catalogue';
import { summarizeSignals, type ConsortiumSummary } from './consortium';
import type { ExternalResult, OwnHistorySummary, ScoringInputs } from './inputs';

/** A computed feature vector. */
export interface FeatureVector {
  catalogueVersion: string;
  names: readonly string[];
  /** float32 values in catalogue order (always finite). */
  values: Float32Array;
  /** 1 where the value was imputed by the feature's missing rule, else 0. */
  missing: Uint8Array;
  /** Consortium summary the features were computed from (used by policy and evidence). */
  consortium: ConsortiumSummary;
}

const DAY = 86_400_000;
const clamp = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);

function ownValues(own: OwnHistorySummary | null, asOf: number): Array<number | null> {
  if (own === null) return [0, null, null, null, null, null, null, null, null, null, null];
  const last = own.lastOrderAt === null ? null : Date.parse(own.lastOrderAt);
  const first = own.firstSeenAt === null ? null : Date.parse(own.firstSeenAt);
  const util = own.creditLimitMinor === null || own.creditLimitMinor <= 0 ? null : own.creditBalanceMinor / own.creditLimitMinor;
  return [
    1,
    last === null || Number.isNaN(last) ? null : clamp((asOf - last) / DAY, 0, 3650),
    first === null || Number.isNaN(first) ? null : clamp((asOf - first) / (30.4375 * DAY), 0, 240),
    clamp(own.orderCount12m, 0, 1000),
    Math.log1p(clamp(own.orderAmount12mMinor, 0, 1e13) / 100),
    clamp(own.onTimeCount12m, 0, 120),
    clamp(own.maxDaysPastDue12m, 0, 365),
    clamp(own.currentDaysPastDue, 0, 365),
    util === null ? null : clamp(util, 0, 2),
    own.refundRate12m === null ? null : clamp(own.refundRate12m, 0, 1),
    own.disputeRate12m === null ? null : clamp(own.disputeRate12m, 0, 1),
  ];
}

function consortiumValues(c: ConsortiumSummary): number[] {
  return [
    c.memberCount, c.worstOverdueBucket, c.recentOverdueBucket, c.activeOverdue.length, c.curedCount,
    c.onTimeCleanMonths, Math.log1p(c.exposureMinor / 100), c.maxUtilization, c.refundAbuseCount, c.fraudConfirmed ? 1 : 0,
  ];
}

const ok = <T>(r: ExternalResult<T>): T | undefined => (r.status === 'ok' ? r.value : undefined);
const sign = (b: boolean | undefined): number | null => (b === undefined ? null : b ? 1 : -1);

function externalValues(inputs: ScoringInputs): Array<number | null> {
  const score = ok(inputs.external.sesameScore);
  const valid = typeof score === 'number' && score >= 350 && score <= 950;
  return [valid ? 1 : 0, valid ? score : null, sign(ok(inputs.external.sesameAdmittance)), sign(ok(inputs.external.wechatPayScore))];
}

/**
 * Compute the features of one subject as of `asOf` (the caller's clock; nothing here reads time).
 * Throws `RangeError` only on inputs that break documented bounds (a caller bug).
 */
export function computeFeatures(inputs: ScoringInputs, asOf: Date): FeatureVector {
  const t = asOf.getTime();
  if (!Number.isFinite(t)) throw new RangeError('asOf is not a valid date');
  const consortium = summarizeSignals(inputs.signals, inputs.self, asOf);
  const raw = [...ownValues(inputs.own, t), ...consortiumValues(consortium), ...externalValues(inputs)];
  if (raw.length !== FEATURE_COUNT) throw new Error(`feature count ${raw.length} != catalogue ${FEATURE_COUNT}`);
  const values = new Float32Array(FEATURE_COUNT);
  const missing = new Uint8Array(FEATURE_COUNT);
  raw.forEach((v, i) => {
    const spec = FEATURE_CATALOGUE[i]!;
    if (v === null || !Number.isFinite(v)) { values[i] = spec.imputed; missing[i] = 1; } else values[i] = v;
  });
  return { catalogueVersion: CATALOGUE_VERSION, names: FEATURE_NAMES, values, missing, consortium };
}
