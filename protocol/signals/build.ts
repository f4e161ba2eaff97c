/**
 * Helpers for issuers (docs/protocol.md §3.2, §3.5): signal ids from injected randomness, consent
 * references, and a body builder that fills `expiresAt` within the type's lifetime bound.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../errors';
import { canonicalJsonBytes } from '../canonical/jcs';
import { toBase64Url, toHex } from '../crypto/base64';
import type { Pseudonym } from '../subject/pseudonym';
import { SIGNAL_VERSION, maxExpiry, validateSignalBody, type SignalBody } from './body';
import type { SignalData, SignalType } from './catalogue';
import { formatTimestamp, parseTimestamp } from './time';

/** A new signal id: base64url of 16 bytes from the injected `random` source (22 characters). */
export function newSignalId(random: (n: number) => Uint8Array): string {
  const bytes = random(16);
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) throw new ProtocolError('SIGNAL_SCHEMA', 'random(16) must return 16 bytes');
  return toBase64Url(bytes);
}

/** Consent reference of a consent record: `sha256:` + hex(SHA-256(JCS(record))). */
export function consentRef(record: unknown): string {
  return `sha256:${toHex(sha256(canonicalJsonBytes(record)))}`;
}

/** Input of {@link buildSignalBody}. */
export interface BuildSignalInput<T extends SignalType> {
  type: T;
  id: string;
  issuer: string;
  subject: Pseudonym;
  /** Issue time (truncated to whole seconds). */
  issuedAt: Date;
  /** Consent reference (see {@link consentRef}). */
  consent: string;
  data: SignalData<T>;
  /** Expiry; defaults to the latest the type allows (§3.5), and is capped at it. */
  expiresAt?: Date;
}

/**
 * Builds and validates a signal body. `expiresAt` defaults to (and may not exceed) the latest
 * instant the type's lifetime bound allows. Throws the `SIGNAL_*` codes of `validateSignalBody`.
 */
export function buildSignalBody<T extends SignalType>(input: BuildSignalInput<T>): SignalBody<T> {
  const issuedAt = formatTimestamp(input.issuedAt);
  const limit = maxExpiry(input.type, parseTimestamp(issuedAt), input.data);
  const expires = input.expiresAt === undefined ? limit : input.expiresAt.getTime();
  const body = {
    v: SIGNAL_VERSION,
    type: input.type,
    id: input.id,
    issuer: input.issuer,
    subject: { kid: input.subject.kid, value: input.subject.value },
    issuedAt,
    expiresAt: formatTimestamp(expires),
    consent: input.consent,
    data: input.data,
  };
  return validateSignalBody(body) as SignalBody<T>;
}
