/**
 * Amounts and time bounds of authorizations (issue 8 §4; docs/api.md "Authorizations"). Amounts are integers in minor
 * units of the line's currency (fen for CNY).
 */
import { z } from 'zod';

/** Largest amount of one authorization or repayment: 10^12 minor units (CNY 10 billion); sums stay far below 2^53. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;
/** Hold lifetime bounds: default 7 days, at least 60 s, at most 30 days. */
export const DEFAULT_HOLD_SECONDS = 7 * 24 * 3600;
export const MIN_HOLD_SECONDS = 60;
export const MAX_HOLD_SECONDS = 30 * 24 * 3600;

/** An amount in minor units: an integer, 1 ..= {@link MAX_AMOUNT_MINOR}. */
export const amountMinor = z
  .number()
  .int('amounts are integers in minor units (fen for CNY)')
  .min(1, 'amounts must be positive')
  .max(MAX_AMOUNT_MINOR, `amounts are at most ${MAX_AMOUNT_MINOR} minor units`);

/** ISO 4217 alphabetic code. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY');

/** `POST /v1/authorizations` body (unknown properties are rejected). */
export const createAuthorizationBody = z
  .strictObject({
    consentToken: z.string().min(1).max(8192),
    amountMinor,
    currency: currencyCode,
    merchantReference: z.string().min(1).max(128).regex(/^[^\p{Cc}]+$/u, 'no control characters'),
    expiresIn: z.number().int().min(MIN_HOLD_SECONDS).max(MAX_HOLD_SECONDS).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => b.expiresIn === undefined || b.expiresAt === undefined, { message: 'send expiresIn or expiresAt, not both', path: ['expiresAt'] });

/** `POST /v1/authorizations/{id}/capture` body: no amount captures the full hold. */
export const captureBody = z.strictObject({ amountMinor: amountMinor.optional() });

/** `POST /v1/authorizations/{id}/release` body (empty object or no body). */
export const releaseBody = z.strictObject({});

/**
 * When a hold placed at `now` expires: `expiresAt` or `now + expiresIn` (default {@link DEFAULT_HOLD_SECONDS}); null when
 * outside [now + MIN, now + MAX].
 */
export function holdExpiry(now: Date, b: { expiresIn?: number | undefined; expiresAt?: string | undefined }): Date | null {
  const t = b.expiresAt !== undefined ? Date.parse(b.expiresAt) : now.getTime() + (b.expiresIn ?? DEFAULT_HOLD_SECONDS) * 1000;
  const delta = (t - now.getTime()) / 1000;
  return Number.isFinite(t) && delta >= MIN_HOLD_SECONDS && delta <= MAX_HOLD_SECONDS ? new Date(t) : null;
}
