/**
 * The signal body (docs/protocol.md §3.2): common envelope fields plus the type's `data`, and its
 * clock-free validation (schema + internal consistency). Clock-dependent checks live in `verify.ts`.
 */
import { z } from 'zod';
import { ProtocolError } from '../errors';
import { KID_PATTERN, PSEUDONYM_VALUE_PATTERN, type Pseudonym } from '../subject/pseudonym';
import {
  SIGNAL_DATA_SCHEMAS,
  SIGNAL_ID_PATTERN,
  SIGNAL_POLICIES,
  SIGNAL_TYPES,
  isSignalType,
  type SignalData,
  type SignalType,
} from './catalogue';
import { TIMESTAMP_PATTERN, monthEndPlusYears, parseTimestamp, plusYears } from './time';

/** Member and consortium ids: DNS-label style, 1-63 chars `[a-z0-9-]`, no leading/trailing `-`. */
export const MEMBER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Consent reference: `sha256:` + 64 lower-case hex digits of the consent record hash. */
export const CONSENT_REF_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** Current signal format version. */
export const SIGNAL_VERSION = 1;

/** Envelope fields shared by every signal body. */
export interface SignalEnvelope {
  /** Format version, always 1. */
  v: 1;
  /** Unique id chosen by the issuer (independent of the log position). */
  id: string;
  /** Member id of the issuer. */
  issuer: string;
  /** Pseudonymous subject (consortium key id + pseudonym value). */
  subject: Pseudonym;
  /** Issue time (RFC 3339 UTC, whole seconds). */
  issuedAt: string;
  /** Expiry time (RFC 3339 UTC, whole seconds), after `issuedAt`, within the type's lifetime bound. */
  expiresAt: string;
  /** Hash of the consent record that allows sharing: `sha256:<hex>`. */
  consent: string;
}

/** A signal body of type `T` (a union over all types when `T` is not given; narrow on `type`). */
export type SignalBody<T extends SignalType = SignalType> = {
  [K in SignalType]: SignalEnvelope & { type: K; data: SignalData<K> };
}[T];

const envelope = {
  v: z.literal(SIGNAL_VERSION),
  id: z.string().regex(SIGNAL_ID_PATTERN),
  issuer: z.string().regex(MEMBER_ID_PATTERN),
  subject: z.strictObject({ kid: z.string().regex(KID_PATTERN), value: z.string().regex(PSEUDONYM_VALUE_PATTERN) }),
  issuedAt: z.string().regex(TIMESTAMP_PATTERN),
  expiresAt: z.string().regex(TIMESTAMP_PATTERN),
  consent: z.string().regex(CONSENT_REF_PATTERN),
};

const BODY_SCHEMAS = Object.fromEntries(
  SIGNAL_TYPES.map((t) => [t, z.strictObject({ ...envelope, type: z.literal(t), data: SIGNAL_DATA_SCHEMAS[t] })]),
) as unknown as Record<SignalType, z.ZodType>;

function describe(err: z.ZodError): string {
  const first = err.issues[0];
  return first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
}

/**
 * Validates a signal body without a clock: strict schema of the envelope and the type's data,
 * `issuedAt < expiresAt`, the type's lifetime bound, and `asOf` not after the issue month.
 * Returns the body typed; throws `SIGNAL_VERSION`, `SIGNAL_TYPE_UNKNOWN`, `SIGNAL_SCHEMA` or
 * `SIGNAL_TOO_LONG_LIVED`.
 */
export function validateSignalBody(input: unknown): SignalBody {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ProtocolError('SIGNAL_SCHEMA', 'signal body must be a JSON object');
  }
  const raw = input as Record<string, unknown>;
  if (raw.v !== SIGNAL_VERSION) throw new ProtocolError('SIGNAL_VERSION', `unsupported signal version (want ${SIGNAL_VERSION})`);
  if (!isSignalType(raw.type)) throw new ProtocolError('SIGNAL_TYPE_UNKNOWN', 'unknown signal type');
  const parsed = BODY_SCHEMAS[raw.type].safeParse(input);
  if (!parsed.success) throw new ProtocolError('SIGNAL_SCHEMA', `${raw.type}: ${describe(parsed.error)}`);
  const body = parsed.data as SignalBody;
  const issued = parseTimestamp(body.issuedAt);
  const expires = parseTimestamp(body.expiresAt);
  if (expires <= issued) throw new ProtocolError('SIGNAL_SCHEMA', 'expiresAt must be after issuedAt');
  const policy = SIGNAL_POLICIES[body.type];
  let limit: number;
  if (policy.maxLifetime.from === 'asOf') {
    const asOf = (body.data as { asOf: string }).asOf;
    if (asOf > body.issuedAt.slice(0, 7)) throw new ProtocolError('SIGNAL_SCHEMA', 'data.asOf is after the issue month');
    limit = monthEndPlusYears(asOf, policy.maxLifetime.years);
  } else {
    limit = plusYears(issued, policy.maxLifetime.years);
  }
  if (expires > limit) {
    throw new ProtocolError('SIGNAL_TOO_LONG_LIVED', `${body.type} may live at most ${policy.maxLifetime.years} years from ${policy.maxLifetime.from}`);
  }
  return body;
}

/** Latest `expiresAt` (epoch ms) allowed for a body with this type, issue time and data. */
export function maxExpiry<T extends SignalType>(type: T, issuedAtMs: number, data: SignalData<T>): number {
  const policy = SIGNAL_POLICIES[type];
  if (policy.maxLifetime.from === 'asOf') return monthEndPlusYears((data as { asOf: string }).asOf, policy.maxLifetime.years);
  return plusYears(issuedAtMs, policy.maxLifetime.years);
}
