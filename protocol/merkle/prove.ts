/**
 * Proof generation from stored hashes (RFC 6962 §2.1.1 audit paths, §2.1.2 consistency proofs;
 * RFC 9162 §2.1.3.1 / §2.1.4.1). Index planning and assembly are separate so readers can be async.
 */
import { ProtocolError } from '../errors';
import { assertSize, splitPoint } from './hash';
import { checkReadResult, checkedRead, subtreeIndexes, type AsyncHashReader, type HashReader } from './stored';
import { foldSubtrees } from './tree';

function inclusionIdx(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const { k } = splitPoint(hi - lo);
  if (n < lo + k) {
    inclusionIdx(lo, lo + k, n, need);
    subtreeIndexes(lo + k, hi, need);
  } else {
    subtreeIndexes(lo, lo + k, need);
    inclusionIdx(lo + k, hi, n, need);
  }
  return need;
}

function inclusionBuild(lo: number, hi: number, n: number, hashes: Uint8Array[], off: { i: number }): Uint8Array[] {
  if (lo + 1 === hi) return [];
  const { k } = splitPoint(hi - lo);
  let p: Uint8Array[];
  let th: Uint8Array;
  if (n < lo + k) {
    p = inclusionBuild(lo, lo + k, n, hashes, off);
    ({ hash: th, next: off.i } = foldSubtrees(lo + k, hi, hashes, off.i));
  } else {
    ({ hash: th, next: off.i } = foldSubtrees(lo, lo + k, hashes, off.i));
    p = inclusionBuild(lo + k, hi, n, hashes, off);
  }
  p.push(th);
  return p;
}

function checkInclusionArgs(index: number, size: number): void {
  assertSize(index, 'index');
  assertSize(size, 'size');
  if (index >= size) throw new ProtocolError('MERKLE_RANGE', 'leaf index must be below tree size');
}

/** Stored hash indexes needed for the inclusion proof of leaf `index` in a tree of `size`. */
export function inclusionProofIndexes(index: number, size: number): number[] {
  checkInclusionArgs(index, size);
  return inclusionIdx(0, size, index, []);
}

/** Inclusion proof (audit path, leaf to root order) from the hashes at {@link inclusionProofIndexes}. */
export function inclusionProofFrom(index: number, size: number, hashes: Uint8Array[]): Uint8Array[] {
  const need = inclusionProofIndexes(index, size);
  return inclusionBuild(0, size, index, checkReadResult(hashes, need.length), { i: 0 });
}

/** RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `size` leaves. */
export function proveInclusion(index: number, size: number, reader: HashReader): Uint8Array[] {
  return inclusionProofFrom(index, size, checkedRead(reader, inclusionProofIndexes(index, size)));
}

/** {@link proveInclusion} through an asynchronous reader. */
export async function proveInclusionAsync(index: number, size: number, reader: AsyncHashReader): Promise<Uint8Array[]> {
  const idx = inclusionProofIndexes(index, size);
  return inclusionProofFrom(index, size, idx.length === 0 ? [] : await reader.readHashes(idx));
}

function consistencyIdx(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subtreeIndexes(lo, hi, need);
  const { k } = splitPoint(hi - lo);
  if (n <= lo + k) {
    consistencyIdx(lo, lo + k, n, need);
    subtreeIndexes(lo + k, hi, need);
  } else {
    subtreeIndexes(lo, lo + k, need);
    consistencyIdx(lo + k, hi, n, need);
  }
  return need;
}

function consistencyBuild(lo: number, hi: number, n: number, hashes: Uint8Array[], off: { i: number }): Uint8Array[] {
  if (n === hi) {
    if (lo === 0) return [];
    const { hash, next } = foldSubtrees(lo, hi, hashes, off.i);
    off.i = next;
    return [hash];
  }
  const { k } = splitPoint(hi - lo);
  let p: Uint8Array[];
  let th: Uint8Array;
  if (n <= lo + k) {
    p = consistencyBuild(lo, lo + k, n, hashes, off);
    ({ hash: th, next: off.i } = foldSubtrees(lo + k, hi, hashes, off.i));
  } else {
    ({ hash: th, next: off.i } = foldSubtrees(lo, lo + k, hashes, off.i));
    p = consistencyBuild(lo + k, hi, n, hashes, off);
  }
  p.push(th);
  return p;
}

function checkConsistencyArgs(size1: number, size2: number): void {
  assertSize(size1, 'size1');
  assertSize(size2, 'size2');
  if (size1 < 1 || size1 > size2) throw new ProtocolError('MERKLE_RANGE', 'consistency proofs need 1 <= size1 <= size2');
}

/** Stored hash indexes needed for the consistency proof from `size1` to `size2`. */
export function consistencyProofIndexes(size1: number, size2: number): number[] {
  checkConsistencyArgs(size1, size2);
  return consistencyIdx(0, size2, size1, []);
}

/** Consistency proof from the hashes at {@link consistencyProofIndexes}. */
export function consistencyProofFrom(size1: number, size2: number, hashes: Uint8Array[]): Uint8Array[] {
  const need = consistencyProofIndexes(size1, size2);
  return consistencyBuild(0, size2, size1, checkReadResult(hashes, need.length), { i: 0 });
}

/** RFC 9162 §2.1.4.1 consistency proof between tree sizes `size1` <= `size2` (empty when equal). */
export function proveConsistency(size1: number, size2: number, reader: HashReader): Uint8Array[] {
  return consistencyProofFrom(size1, size2, checkedRead(reader, consistencyProofIndexes(size1, size2)));
}

/** {@link proveConsistency} through an asynchronous reader. */
export async function proveConsistencyAsync(size1: number, size2: number, reader: AsyncHashReader): Promise<Uint8Array[]> {
  const idx = consistencyProofIndexes(size1, size2);
  return consistencyProofFrom(size1, size2, idx.length === 0 ? [] : await reader.readHashes(idx));
}
