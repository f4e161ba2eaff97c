/**
 * Tree hashes (RFC 6962 §2.1 MTH) at any size, from stored hashes or directly from leaf hashes.
 * Each operation is split into "which stored hashes are needed" and "compute from those hashes", so
 * a database-backed node can fetch asynchronously in between; `*Async` helpers do both.
 */
import { ProtocolError } from '../errors';
import { EMPTY_TREE_HASH, HASH_SIZE, assertSize, nodeHash, splitPoint } from './hash';
import { checkReadResult, checkedRead, storedHashIndex, subtreeIndexes, type AsyncHashReader, type HashReader } from './stored';

/** Number of complete subtrees in the decomposition of `[lo, hi)`. */
export function subtreeCount(lo: number, hi: number): number {
  let c = 0;
  while (lo < hi) {
    let k = 1;
    while (k * 2 <= hi - lo) k *= 2;
    lo += k;
    c++;
  }
  return c;
}

/**
 * Folds the hashes of the complete subtrees of `[lo, hi)` (as listed by `subtreeIndexes`) into the
 * range's MTH, consuming them from `hashes` starting at `offset`. Returns the hash and next offset.
 */
export function foldSubtrees(lo: number, hi: number, hashes: Uint8Array[], offset: number): { hash: Uint8Array; next: number } {
  const count = subtreeCount(lo, hi);
  if (count === 0) throw new ProtocolError('MERKLE_RANGE', 'empty range has no subtree hash');
  if (hashes.length < offset + count) throw new ProtocolError('MERKLE_READER', 'not enough hashes for range');
  let th = hashes[offset + count - 1]!;
  for (let i = count - 2; i >= 0; i--) th = nodeHash(hashes[offset + i]!, th);
  return { hash: th, next: offset + count };
}

/** Stored hash indexes needed for the root of a tree of `size` leaves. */
export function treeHashIndexes(size: number): number[] {
  assertSize(size, 'size');
  return subtreeIndexes(0, size, []);
}

/** Root of a tree of `size` leaves from the hashes at {@link treeHashIndexes}(size). */
export function treeHashFrom(size: number, hashes: Uint8Array[]): Uint8Array {
  if (size === 0) return EMPTY_TREE_HASH.slice();
  return foldSubtrees(0, size, checkReadResult(hashes, subtreeCount(0, size)), 0).hash;
}

/** RFC 6962 §2.1 root hash of the first `size` leaves of the stored tree. */
export function treeHash(size: number, reader: HashReader): Uint8Array {
  return treeHashFrom(size, checkedRead(reader, treeHashIndexes(size)));
}

/** {@link treeHash} through an asynchronous reader. */
export async function treeHashAsync(size: number, reader: AsyncHashReader): Promise<Uint8Array> {
  const idx = treeHashIndexes(size);
  return treeHashFrom(size, idx.length === 0 ? [] : await reader.readHashes(idx));
}

/**
 * RFC 6962 §2.1 MTH of a list of leaf hashes (the whole list; use `subarray`-style slicing for a
 * range). Iterative, O(n) hashing, no stored hashes needed.
 */
export function rootFromLeafHashes(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_TREE_HASH.slice();
  for (const l of leaves) {
    if (l.length !== HASH_SIZE) throw new ProtocolError('MERKLE_HASH_SIZE', 'leaf hashes must be 32 bytes');
  }
  return mth(leaves, 0, leaves.length);
}

function mth(leaves: Uint8Array[], lo: number, hi: number): Uint8Array {
  if (hi - lo === 1) return leaves[lo]!;
  const { k } = splitPoint(hi - lo);
  return nodeHash(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
}

function rangeIdx(lo: number, hi: number, need: number[]): number[] {
  const n = hi - lo;
  if ((n & (n - 1)) === 0 && n <= 2 ** 30 && lo % n === 0) {
    need.push(storedHashIndex(Math.log2(n), lo / n));
    return need;
  }
  const { k } = splitPoint(n);
  rangeIdx(lo, lo + k, need);
  return rangeIdx(lo + k, hi, need);
}

function rangeBuild(lo: number, hi: number, hashes: Uint8Array[], off: { i: number }): Uint8Array {
  const n = hi - lo;
  if ((n & (n - 1)) === 0 && n <= 2 ** 30 && lo % n === 0) return hashes[off.i++]!;
  const { k } = splitPoint(n);
  const left = rangeBuild(lo, lo + k, hashes, off);
  return nodeHash(left, rangeBuild(lo + k, hi, hashes, off));
}

/** Stored hash indexes needed for {@link rangeHash}`(lo, hi)`: aligned complete subtrees, left to right. */
export function rangeHashIndexes(lo: number, hi: number): number[] {
  assertSize(lo, 'lo');
  assertSize(hi, 'hi');
  if (lo >= hi) throw new ProtocolError('MERKLE_RANGE', 'range must be non-empty (lo < hi)');
  return rangeIdx(lo, hi, []);
}

/**
 * RFC 6962 §2.1 MTH of the leaf range `D[lo:hi]` (any range, aligned or not), computed from the
 * fewest stored hashes: aligned complete subtrees are read, the rest is hashed per the RFC recursion.
 */
export function rangeHash(lo: number, hi: number, reader: HashReader): Uint8Array {
  const idx = rangeHashIndexes(lo, hi);
  return rangeBuild(lo, hi, checkedRead(reader, idx), { i: 0 });
}
