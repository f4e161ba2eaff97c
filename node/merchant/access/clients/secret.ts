/**
 * Client secrets (issue 8 §1): 256 random bits shown once, stored as HMAC-SHA256 under a key derived from the
 * node's storage key. A high-entropy secret needs no slow KDF; the keyed hash keeps a stolen table useless
 * without keys.json. Comparison is constant-time.
 */
import { timingSafeEqual } from 'node:crypto';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** Secrets look like `cns_<43 base64url chars>` (32 random bytes). */
export const SECRET_PATTERN = /^cns_[A-Za-z0-9_-]{43}$/;
/** Client ids look like `mch_<32 hex>` (16 random bytes). */
export const CLIENT_ID_PATTERN = /^mch_[0-9a-f]{32}$/;

/** A new random client id. */
export function newClientId(random: (n: number) => Uint8Array): string {
  return `mch_${Buffer.from(random(16)).toString('hex')}`;
}

/** A new random client secret (32 bytes). */
export function newClientSecret(random: (n: number) => Uint8Array): string {
  return `cns_${Buffer.from(random(32)).toString('base64url')}`;
}

/** The secret hasher: `hash(secret)` to store, `verify(secret, stored)` in constant time. */
export interface SecretHasher {
  hash(secret: string): Uint8Array;
  verify(secret: string, stored: Uint8Array): boolean;
}

/** Builds the hasher with HKDF-SHA256(storageKey, info `merchant-client-secret/v1`) as the HMAC key (RFC 5869, RFC 2104). */
export function createSecretHasher(storageKey: Uint8Array): SecretHasher {
  if (storageKey.length < 32) throw new Error('storage key must be at least 32 bytes');
  const key = hkdf(sha256, storageKey, undefined, new TextEncoder().encode('merchant-client-secret/v1'), 32);
  const hash = (secret: string) => hmac(sha256, key, new TextEncoder().encode(secret));
  return {
    hash,
    verify(secret, stored) {
      const got = hash(secret);
      return stored.length === got.length && timingSafeEqual(got, stored);
    },
  };
}
