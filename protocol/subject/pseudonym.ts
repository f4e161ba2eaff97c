/**
 * v1 keyed pseudonyms (docs/protocol.md §2.2, architecture §2):
 * `value = base64url_nopad(HMAC-SHA256(K, "consortium-subject/v1\n" || UTF-8(normalized)))`,
 * where `K` is the 32-byte consortium pseudonymization key; its key id `kid` travels with the value.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../errors';
import { toBase64Url } from '../crypto/base64';
import { isNormalizedSubjectId } from './normalize';

/** Domain-separation prefix of v1 pseudonyms. */
export const PSEUDONYM_DOMAIN_V1 = 'consortium-subject/v1\n';
/** Length of the consortium pseudonymization key in bytes. */
export const CONSORTIUM_KEY_BYTES = 32;
/** Key ids: 1-64 characters of `[A-Za-z0-9._:-]`. */
export const KID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
/** A v1 pseudonym value: 43 base64url characters (32 bytes). */
export const PSEUDONYM_VALUE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The consortium pseudonymization key with its id. */
export interface ConsortiumKey {
  kid: string;
  key: Uint8Array;
}

/** A pseudonymous subject reference as it appears in signals. */
export interface Pseudonym {
  /** Id of the consortium key that produced `value`. */
  kid: string;
  /** base64url (no padding) HMAC-SHA256 output, 43 characters. */
  value: string;
}

/** Validates a consortium key; throws `PSEUDONYM_KEY_INVALID`. */
export function assertConsortiumKey(key: ConsortiumKey): void {
  if (!key || typeof key.kid !== 'string' || !KID_PATTERN.test(key.kid)) {
    throw new ProtocolError('PSEUDONYM_KEY_INVALID', 'consortium key id must match [A-Za-z0-9._:-]{1,64}');
  }
  if (!(key.key instanceof Uint8Array) || key.key.length !== CONSORTIUM_KEY_BYTES) {
    throw new ProtocolError('PSEUDONYM_KEY_INVALID', `consortium key must be ${CONSORTIUM_KEY_BYTES} bytes`);
  }
}

/**
 * Derives the v1 pseudonym of a normalized subject identifier (docs/protocol.md §2.2).
 * `normalizedId` must already be canonical (see `normalizeSubjectId`); otherwise throws
 * `SUBJECT_UNRECOGNIZED` so that differently written inputs can never yield different pseudonyms.
 */
export function pseudonymize(key: ConsortiumKey, normalizedId: string): Pseudonym {
  assertConsortiumKey(key);
  if (!isNormalizedSubjectId(normalizedId)) {
    throw new ProtocolError('SUBJECT_UNRECOGNIZED', 'pseudonymize needs a normalized subject id (normalizeSubjectId)');
  }
  const mac = hmac(sha256, key.key, new TextEncoder().encode(PSEUDONYM_DOMAIN_V1 + normalizedId));
  return { kid: key.kid, value: toBase64Url(mac) };
}
