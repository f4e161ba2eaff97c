/**
 * Signal verification (docs/protocol.md §3.7): schema, issuer, key lookup and validity window,
 * Ed25519 signature, and (with a caller-supplied clock) expiry.
 */
import { ProtocolError } from '../errors';
import { ed25519Verify } from '../crypto/ed25519';
import { validateSignalBody, type SignalBody } from './body';
import { decodeSignalEntryWithInput } from './entry';
import { finishSignalCheck, prepareSignalCheck } from './prepare';
import { signalSigningInputOfValid, type SignedSignal } from './sign';

/** A signal verification key as resolved from the roster. */
export interface SignalKey {
  /** Member id the key belongs to. */
  issuer: string;
  kid: string;
  /** Ed25519 public key (32 bytes). */
  publicKey: Uint8Array;
  /** Key valid for signatures issued at or after this instant (epoch ms); omitted = no bound. */
  notBefore?: number;
  /** Key valid for signatures issued strictly before this instant (epoch ms); omitted = no bound. */
  notAfter?: number;
}

/** Resolves `(issuer, kid)` to a key, or `undefined` when the roster has no such key. */
export type SignalKeyLookup = (issuer: string, kid: string) => SignalKey | undefined;

/** Options of {@link verifySignal}. */
export interface VerifySignalOptions {
  /** Key resolver (usually backed by the current roster). */
  keys: SignalKeyLookup;
  /** The current time (injected; the library never reads a clock). */
  now: Date;
  /** When set, the body's issuer must equal it (e.g. the member whose log is being read). */
  expectedIssuer?: string;
  /** Reject expired signals (default true). Replication may pass false to verify, then skip. */
  checkExpiry?: boolean;
  /** Tolerated clock skew for `issuedAt` in the future, seconds (default 300). */
  maxClockSkewSeconds?: number;
}

function verifyCore(signed: SignedSignal, body: SignalBody, input: Uint8Array, opts: VerifySignalOptions): void {
  const prepared = prepareSignalCheck(signed, body, input, opts);
  const { signature, message, publicKey } = prepared.check;
  const done = finishSignalCheck(prepared, ed25519Verify(signature, message, publicKey), opts);
  if (!done.ok) throw done.error;
}

/** Verifies a signed signal object; returns the validated body or throws {@link ProtocolError}. */
export function verifySignal(signed: SignedSignal, opts: VerifySignalOptions): SignalBody {
  const body = validateSignalBody(signed?.body);
  verifyCore(signed, body, signalSigningInputOfValid(body), opts);
  return body;
}

/** Decodes and verifies a log entry (docs/protocol.md §4.1); returns the signed signal or throws. */
export function verifySignalEntry(entry: Uint8Array, opts: VerifySignalOptions): SignedSignal {
  const { signed, signingInput } = decodeSignalEntryWithInput(entry);
  verifyCore(signed, signed.body, signingInput, opts);
  return signed;
}

/** Result of {@link checkSignalEntry}: expected failures are values, not exceptions. */
export type SignalCheck = { ok: true; signed: SignedSignal } | { ok: false; error: ProtocolError };

/** Like {@link verifySignalEntry}, but returns a {@link SignalCheck} instead of throwing on invalid input. */
export function checkSignalEntry(entry: Uint8Array, opts: VerifySignalOptions): SignalCheck {
  try {
    return { ok: true, signed: verifySignalEntry(entry, opts) };
  } catch (err) {
    if (err instanceof ProtocolError) return { ok: false, error: err };
    throw err;
  }
}
