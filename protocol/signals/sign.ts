/**
 * Signal signatures (docs/protocol.md §3.6): Ed25519 over `"consortium-signal/v1\n" || JCS(body)`,
 * carried as `{body, kid, sig}` with `sig` in base64url without padding.
 */
import { ProtocolError } from '../errors';
import { canonicalJson, canonicalJsonOfValidated } from '../canonical/jcs';
import { toBase64Url } from '../crypto/base64';
import { concatBytes, ed25519Sign } from '../crypto/ed25519';
import { KID_PATTERN } from '../subject/pseudonym';
import { validateSignalBody, type SignalBody } from './body';
import type { SignalType } from './catalogue';

/** Domain-separation prefix of signal signatures. */
export const SIGNAL_DOMAIN_V1 = 'consortium-signal/v1\n';
const DOMAIN_BYTES = new TextEncoder().encode(SIGNAL_DOMAIN_V1);
/** Largest accepted canonical body, in bytes. */
export const MAX_SIGNAL_BODY_BYTES = 4096;

/** A signed signal: the body, the signer's key id and the base64url Ed25519 signature. */
export interface SignedSignal<T extends SignalType = SignalType> {
  body: SignalBody<T>;
  kid: string;
  sig: string;
}

/** The key a member signs signals with. */
export interface SignalSigner {
  /** Key id as published in the roster (`keys[].kid`, use `signal`). */
  kid: string;
  /** Ed25519 secret key (64 bytes, libsodium layout). */
  secretKey: Uint8Array;
}

/** Bytes signed for a body whose canonical JSON is `bodyJcs`: `domain || UTF-8(bodyJcs)`. */
export function signalSigningInputFromJcs(bodyJcs: Uint8Array): Uint8Array {
  if (bodyJcs.length > MAX_SIGNAL_BODY_BYTES) throw new ProtocolError('SIGNAL_TOO_LARGE', `signal body over ${MAX_SIGNAL_BODY_BYTES} bytes`);
  return concatBytes(DOMAIN_BYTES, bodyJcs);
}

/** Bytes signed for `body`: `"consortium-signal/v1\n" || JCS(body)` (docs/protocol.md §3.6). */
export function signalSigningInput(body: SignalBody): Uint8Array {
  return signalSigningInputFromJcs(new TextEncoder().encode(canonicalJson(body)));
}

/** Signing input of a body that already passed `validateSignalBody` (fast canonical serializer). */
export function signalSigningInputOfValid(body: SignalBody): Uint8Array {
  return signalSigningInputFromJcs(new TextEncoder().encode(canonicalJsonOfValidated(body)));
}

/**
 * Validates `body` (schema, lifetime; see `validateSignalBody`) and signs it. The signer's key must
 * belong to `body.issuer` in the roster; that is checked by verifiers, not here.
 */
export function signSignal<T extends SignalType>(body: SignalBody<T>, signer: SignalSigner): SignedSignal<T> {
  const valid = validateSignalBody(body) as SignalBody<T>;
  if (typeof signer?.kid !== 'string' || !KID_PATTERN.test(signer.kid)) {
    throw new ProtocolError('KEY_INVALID', 'signer kid must match [A-Za-z0-9._:-]{1,64}');
  }
  const sig = ed25519Sign(signalSigningInputOfValid(valid), signer.secretKey);
  return { body: valid, kid: signer.kid, sig: toBase64Url(sig) };
}
