/**
 * Signal verification split in two (docs/protocol.md §3.7), so a caller can run the Ed25519 check
 * elsewhere (a worker thread, a batch): {@link prepareSignalEntry} does everything but the signature
 * (decoding, canonical form, schema, issuer, key lookup and validity window) and yields the exact
 * signature check to perform; {@link finishSignalCheck} takes that check's outcome and applies the
 * rules that come after it (clock skew, expiry). Together they decide exactly like `checkSignalEntry`,
 * with the same error codes in the same precedence.
 */
import { ProtocolError } from '../errors';
import { fromBase64Url } from '../crypto/base64';
import type { SignalBody } from './body';
import { decodeSignalEntryWithInput } from './entry';
import type { SignedSignal } from './sign';
import { parseTimestamp } from './time';
import type { VerifySignalOptions } from './verify';

/** The Ed25519 verification a prepared signal still needs: `signature` over `message` by `publicKey`. */
export interface SignatureCheck {
  /** Detached signature as carried (decoded from base64url; its length is not checked here). */
  signature: Uint8Array;
  /** `"consortium-signal/v1\n" || JCS(body)`. */
  message: Uint8Array;
  /** Ed25519 public key (32 bytes) from the roster. */
  publicKey: Uint8Array;
}

/** A signal whose every rule before the signature passed. */
export interface PreparedSignal {
  signed: SignedSignal;
  check: SignatureCheck;
  /** Milliseconds since the epoch of `issuedAt` and `expiresAt` (for the rules after the signature). */
  issuedAt: number;
  expiresAt: number;
}

/** Outcome of {@link prepareSignalEntry}: a prepared signal, or the first rule it broke. */
export type PreparedSignalResult = { ok: true; prepared: PreparedSignal } | { ok: false; error: ProtocolError };

/** Outcome of {@link finishSignalCheck} (same shape as `checkSignalEntry`'s). */
export type FinishedSignalCheck = { ok: true; signed: SignedSignal } | { ok: false; error: ProtocolError };

/**
 * The rules of §3.7 that precede the signature, for an already validated body: expected issuer, key
 * known for `(issuer, kid)`, key belonging to the issuer, key valid at `issuedAt`. Throws
 * {@link ProtocolError}; returns the signature check to perform.
 */
export function prepareSignalCheck(signed: SignedSignal, body: SignalBody, message: Uint8Array, opts: VerifySignalOptions): PreparedSignal {
  if (opts.expectedIssuer !== undefined && body.issuer !== opts.expectedIssuer) {
    throw new ProtocolError('SIGNAL_WRONG_ISSUER', 'signal issuer is not the expected member');
  }
  const key = opts.keys(body.issuer, signed.kid);
  if (!key) throw new ProtocolError('SIGNAL_UNKNOWN_KEY', `no key ${signed.kid} for issuer ${body.issuer}`);
  if (key.issuer !== body.issuer || key.kid !== signed.kid) {
    throw new ProtocolError('SIGNAL_WRONG_ISSUER', 'signing key belongs to another member');
  }
  const issued = parseTimestamp(body.issuedAt);
  if ((key.notBefore !== undefined && issued < key.notBefore) || (key.notAfter !== undefined && issued >= key.notAfter)) {
    throw new ProtocolError('SIGNAL_KEY_NOT_VALID', `key ${signed.kid} was not valid at issuedAt`);
  }
  const signature = fromBase64Url(signed.sig, 'SIGNAL_BAD_SIGNATURE');
  return { signed, check: { signature, message, publicKey: key.publicKey }, issuedAt: issued, expiresAt: parseTimestamp(body.expiresAt) };
}

/**
 * The rules of §3.7 after the signature: `signatureValid` is the outcome of verifying
 * `prepared.check` with Ed25519; then `issuedAt` must not be beyond the tolerated clock skew and, unless
 * `checkExpiry` is false, the signal must not have expired at `opts.now`.
 */
export function finishSignalCheck(prepared: PreparedSignal, signatureValid: boolean, opts: Pick<VerifySignalOptions, 'now' | 'checkExpiry' | 'maxClockSkewSeconds'>): FinishedSignalCheck {
  if (!signatureValid) return { ok: false, error: new ProtocolError('SIGNAL_BAD_SIGNATURE', 'signature does not verify') };
  const now = opts.now.getTime();
  if (prepared.issuedAt > now + (opts.maxClockSkewSeconds ?? 300) * 1000) {
    return { ok: false, error: new ProtocolError('SIGNAL_NOT_YET_VALID', 'signal issued in the future') };
  }
  if ((opts.checkExpiry ?? true) && prepared.expiresAt <= now) {
    return { ok: false, error: new ProtocolError('SIGNAL_EXPIRED', 'signal has expired') };
  }
  return { ok: true, signed: prepared.signed };
}

/**
 * Decodes a log entry (docs/protocol.md §4.1) and applies every rule of §3.7 that precedes the
 * signature; expected failures are returned, not thrown. Verify `prepared.check` with Ed25519 and pass
 * the outcome to {@link finishSignalCheck}.
 */
export function prepareSignalEntry(entry: Uint8Array, opts: VerifySignalOptions): PreparedSignalResult {
  try {
    const { signed, signingInput } = decodeSignalEntryWithInput(entry);
    return { ok: true, prepared: prepareSignalCheck(signed, signed.body, signingInput, opts) };
  } catch (err) {
    if (err instanceof ProtocolError) return { ok: false, error: err };
    throw err;
  }
}
