/**
 * The v1 signal catalogue (docs/protocol.md §3.4, architecture §3): every signal type with the exact
 * schema of its `data`, its polarity and its maximum lifetime. Schemas are strict: unknown fields,
 * missing fields and out-of-enum values are rejected on both sign and verify.
 */
import { z } from 'zod';
import {
  AMOUNT_BANDS,
  COUNT_BANDS,
  ON_TIME_RATIO_BANDS,
  OVERDUE_BUCKETS,
  TENURE_BANDS,
  UTILIZATION_BANDS,
} from './bands';

/** All v1 signal types, in catalogue order. */
export const SIGNAL_TYPES = [
  'repayment.overdue',
  'repayment.cured',
  'repayment.on_time',
  'credit.line',
  'refund.abuse',
  'fraud.confirmed',
  'grade.assigned',
  'vip.status',
  'consent.withdrawn',
  'signal.retracted',
] as const;
/** A v1 signal type. */
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** Credit product categories. */
export const PRODUCT_CATEGORIES = [
  'consumer_installment', 'cash_loan', 'credit_card', 'bnpl', 'auto_loan', 'mortgage', 'merchant_credit', 'other',
] as const;
/** How an overdue was resolved. */
export const CURE_METHODS = ['paid_in_full', 'settled', 'restructured'] as const;
/** Observation windows of on-time summaries. */
export const ON_TIME_WINDOWS = ['3m', '6m', '12m', '24m'] as const;
/** Refund-abuse severity as judged by the member's documented policy. */
export const SEVERITIES = ['low', 'medium', 'high'] as const;
/** Confirmed-fraud categories. */
export const FRAUD_CATEGORIES = [
  'identity_theft', 'synthetic_identity', 'first_party', 'account_takeover', 'payment_fraud',
] as const;
/** How a fraud was confirmed. */
export const FRAUD_CONFIRMATIONS = ['investigation', 'chargeback', 'law_enforcement', 'court'] as const;
/** Consortium credit grades, S (best) .. D (worst). */
export const GRADES = ['S', 'A', 'B', 'C', 'D'] as const;
/** VIP tiers. */
export const VIP_TIERS = ['none', 'silver', 'gold', 'platinum'] as const;
/** Reasons for retracting an earlier signal. */
export const RETRACTION_REASONS = ['error', 'dispute_upheld', 'duplicate', 'superseded'] as const;

/** Signal ids: 16-64 characters of base64url alphabet (e.g. 22-char base64url of 16 random bytes, or a UUID). */
export const SIGNAL_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Calendar month `YYYY-MM` (the coarse "as of" date of a signal's facts). */
export const MONTH_PATTERN = /^(?:19|20|21)\d{2}-(?:0[1-9]|1[0-2])$/;
/** Model ids: 1-64 characters `[A-Za-z0-9._-]`. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const month = z.string().regex(MONTH_PATTERN);

/** Strict zod schema of each type's `data` object (normative; see docs/protocol.md §3.4). */
export const SIGNAL_DATA_SCHEMAS = {
  'repayment.overdue': z.strictObject({
    product: z.enum(PRODUCT_CATEGORIES),
    bucket: z.enum(OVERDUE_BUCKETS),
    amountBand: z.enum(AMOUNT_BANDS),
    asOf: month,
  }),
  'repayment.cured': z.strictObject({
    product: z.enum(PRODUCT_CATEGORIES),
    worstBucket: z.enum(OVERDUE_BUCKETS),
    method: z.enum(CURE_METHODS),
    asOf: month,
  }),
  'repayment.on_time': z.strictObject({
    product: z.enum(PRODUCT_CATEGORIES),
    window: z.enum(ON_TIME_WINDOWS),
    instalments: z.enum(COUNT_BANDS),
    onTimeRatio: z.enum(ON_TIME_RATIO_BANDS),
    asOf: month,
  }),
  'credit.line': z.strictObject({
    product: z.enum(PRODUCT_CATEGORIES),
    limitBand: z.enum(AMOUNT_BANDS),
    utilizationBand: z.enum(UTILIZATION_BANDS),
    asOf: month,
  }),
  'refund.abuse': z.strictObject({
    severity: z.enum(SEVERITIES),
    incidents: z.enum(COUNT_BANDS),
    amountBand: z.enum(AMOUNT_BANDS),
    asOf: month,
  }),
  'fraud.confirmed': z.strictObject({
    category: z.enum(FRAUD_CATEGORIES),
    confirmation: z.enum(FRAUD_CONFIRMATIONS),
    asOf: month,
  }),
  'grade.assigned': z.strictObject({
    grade: z.enum(GRADES),
    model: z.string().regex(MODEL_ID_PATTERN),
    asOf: month,
  }),
  'vip.status': z.strictObject({
    tier: z.enum(VIP_TIERS),
    tenure: z.enum(TENURE_BANDS),
    asOf: month,
  }),
  'consent.withdrawn': z.strictObject({
    scope: z.literal('all'),
  }),
  'signal.retracted': z.strictObject({
    target: z.string().regex(SIGNAL_ID_PATTERN),
    reason: z.enum(RETRACTION_REASONS),
  }),
} as const;

/** The `data` object of signal type `T`. */
export type SignalData<T extends SignalType = SignalType> = z.infer<(typeof SIGNAL_DATA_SCHEMAS)[T]>;

/** How long a signal of a type may stay valid (docs/protocol.md §3.5). */
export interface SignalPolicy {
  /** `negative` signals are adverse to the subject; `control` ones act on other signals. */
  polarity: 'negative' | 'positive' | 'neutral' | 'control';
  /**
   * `expiresAt` must not be later than `years` after the anchor: for `asOf` the first instant of the
   * month after `data.asOf` (the end of the reported event), for `issuedAt` the issue time.
   */
  maxLifetime: { from: 'asOf' | 'issuedAt'; years: number };
}

/** Polarity and lifetime bound of every type (negative signals: at most 5 years after the event ends). */
export const SIGNAL_POLICIES: Record<SignalType, SignalPolicy> = {
  'repayment.overdue': { polarity: 'negative', maxLifetime: { from: 'asOf', years: 5 } },
  'repayment.cured': { polarity: 'positive', maxLifetime: { from: 'asOf', years: 5 } },
  'repayment.on_time': { polarity: 'positive', maxLifetime: { from: 'asOf', years: 2 } },
  'credit.line': { polarity: 'neutral', maxLifetime: { from: 'asOf', years: 2 } },
  'refund.abuse': { polarity: 'negative', maxLifetime: { from: 'asOf', years: 5 } },
  'fraud.confirmed': { polarity: 'negative', maxLifetime: { from: 'asOf', years: 5 } },
  'grade.assigned': { polarity: 'neutral', maxLifetime: { from: 'asOf', years: 1 } },
  'vip.status': { polarity: 'positive', maxLifetime: { from: 'asOf', years: 1 } },
  'consent.withdrawn': { polarity: 'control', maxLifetime: { from: 'issuedAt', years: 5 } },
  'signal.retracted': { polarity: 'control', maxLifetime: { from: 'issuedAt', years: 5 } },
};

/** True when `t` is a v1 signal type. */
export function isSignalType(t: unknown): t is SignalType {
  return typeof t === 'string' && (SIGNAL_TYPES as readonly string[]).includes(t);
}
