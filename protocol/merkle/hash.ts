/**
 * RFC 6962 §2.1 / RFC 9162 §2.1.1 Merkle tree hashing with SHA-256:
 * leaf hash `SHA-256(0x00 || entry)`, interior node hash `SHA-256(0x01 || left || right)`,
 * empty tree hash `SHA-256("")`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../errors';

/** Size of every Merkle tree hash in bytes. */
export const HASH_SIZE = 32;
const LEAF_PREFIX = new Uint8Array([0x00]);

/** Root hash of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1). */
export const EMPTY_TREE_HASH: Uint8Array = sha256(new Uint8Array(0));

/** RFC 6962 §2.1 leaf hash: `SHA-256(0x00 || entry)`. */
export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256.create().update(LEAF_PREFIX).update(entry).digest();
}

/** RFC 6962 §2.1 interior node hash: `SHA-256(0x01 || left || right)`; both inputs must be 32 bytes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new ProtocolError('MERKLE_HASH_SIZE', 'node hash inputs must be 32 bytes each');
  }
  const buf = new Uint8Array(1 + 2 * HASH_SIZE);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + HASH_SIZE);
  return sha256(buf);
}

/** Constant-time-ish equality of two byte strings (lengths compared first). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/**
 * Largest power of two strictly less than `n` (RFC 6962 §2.1 `k`), for n >= 2, with its log2.
 * Safe for every integer below 2^53 (no 32-bit bit operations).
 */
export function splitPoint(n: number): { k: number; level: number } {
  let k = 1;
  let level = 0;
  while (k * 2 < n) {
    k *= 2;
    level++;
  }
  return { k, level };
}

/** Number of trailing 1 bits of a non-negative integer (< 2^53). */
export function trailingOnes(n: number): number {
  let c = 0;
  while (n % 2 === 1) {
    c++;
    n = (n - 1) / 2;
  }
  return c;
}

/** Checks that `n` is a non-negative safe integer; throws `MERKLE_RANGE` naming `what`. */
export function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new ProtocolError('MERKLE_RANGE', `${what} must be a non-negative safe integer`);
}
