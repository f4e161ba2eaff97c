/**
 * Proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency). Return `false` for
 * every invalid input (wrong sizes, malformed hashes, extra or missing proof elements).
 */
import { HASH_SIZE, bytesEqual, nodeHash } from './hash';

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function allHashes(list: Uint8Array[]): boolean {
  return Array.isArray(list) && list.every((h) => h instanceof Uint8Array && h.length === HASH_SIZE);
}

/**
 * Root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1-4), or `null` when the proof cannot
 * be valid for `(index, size)`.
 */
export function rootFromInclusionProof(leaf: Uint8Array, index: number, size: number, proof: Uint8Array[]): Uint8Array | null {
  if (!isSize(index) || !isSize(size) || index >= size) return null;
  if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_SIZE || !allHashes(proof)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: true iff `proof` proves leaf hash `leaf` at `index` in the tree (`size`, `root`). */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: Uint8Array[], root: Uint8Array): boolean {
  const r = rootFromInclusionProof(leaf, index, size, proof ?? []);
  return r !== null && root instanceof Uint8Array && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: true iff `proof` shows the tree (`size1`, `root1`) is a prefix of
 * (`size2`, `root2`). Equal sizes need an empty proof and equal roots. `size1 = 0` is rejected: a
 * consistency check from the empty tree proves nothing (the transparency-dev vectors expect this).
 */
export function verifyConsistency(size1: number, size2: number, proof: Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  proof = proof ?? [];
  if (!isSize(size1) || !isSize(size2) || size1 > size2 || size1 === 0) return false;
  if (!(root1 instanceof Uint8Array) || !(root2 instanceof Uint8Array)) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (proof.length === 0 || !allHashes(proof) || root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) return false;
  // Step 2: when size1 is a power of two, the proof starts implicitly with root1.
  const path = isPow2(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}

function isPow2(n: number): boolean {
  while (n > 1) {
    if (n % 2 === 1) return false;
    n /= 2;
  }
  return n === 1;
}
