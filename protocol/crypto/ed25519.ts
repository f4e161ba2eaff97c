/**
 * Ed25519 (RFC 8032) through libsodium: key pairs from seeds, detached signatures, verification.
 * Public keys are 32 bytes, libsodium secret keys 64 bytes (seed || public key), signatures 64 bytes.
 */
import { ProtocolError } from '../errors';
import { getSodium } from './sodium';

/** An Ed25519 key pair in libsodium layout. */
export interface Ed25519KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Derives the Ed25519 key pair of a 32-byte seed (`crypto_sign_seed_keypair`). */
export function ed25519KeyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new ProtocolError('KEY_INVALID', 'Ed25519 seed must be 32 bytes');
  const kp = getSodium().crypto_sign_seed_keypair(seed);
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/** Checks an Ed25519 secret key (64 bytes) and returns it; throws `KEY_INVALID`. */
export function assertEd25519SecretKey(secretKey: Uint8Array): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 64) {
    throw new ProtocolError('KEY_INVALID', 'Ed25519 secret key must be 64 bytes (libsodium layout)');
  }
  return secretKey;
}

/** Checks an Ed25519 public key (32 bytes) and returns it; throws `KEY_INVALID`. */
export function assertEd25519PublicKey(publicKey: Uint8Array): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new ProtocolError('KEY_INVALID', 'Ed25519 public key must be 32 bytes');
  }
  return publicKey;
}

/** Detached Ed25519 signature of `message` (64 bytes). */
export function ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return getSodium().crypto_sign_detached(message, assertEd25519SecretKey(secretKey));
}

/** Verifies a detached Ed25519 signature; false for any malformed input. */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return getSodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** Concatenates byte strings. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
