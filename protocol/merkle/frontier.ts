/**
 * Compact-range frontier (docs/protocol.md §5.3, §7 "Replication"): the roots of the maximal complete
 * subtrees of a tree, left to right (at most 53 hashes). Enough to append leaves and compute the root
 * at the new size, so a puller can verify a peer's new checkpoint — and its consistency with the last
 * verified one — by appending the fetched entries to its stored frontier and comparing roots.
 */
import { ProtocolError } from '../errors';
import { EMPTY_TREE_HASH, HASH_SIZE, assertSize, bytesEqual, nodeHash, trailingOnes } from './hash';
import { frontierIndexes, type AsyncHashReader, type HashReader } from './stored';
import { subtreeCount } from './tree';

/** A tree size and the hashes of its maximal complete subtrees, left to right. */
export interface Frontier {
  size: number;
  hashes: Uint8Array[];
}

/** The frontier of the empty tree. */
export function emptyFrontier(): Frontier {
  return { size: 0, hashes: [] };
}

/** Checks a frontier's shape (one 32-byte hash per set bit of `size`); throws `MERKLE_READER`. */
export function assertFrontier(f: Frontier): Frontier {
  assertSize(f.size, 'frontier size');
  if (f.hashes.length !== subtreeCount(0, f.size) || f.hashes.some((h) => h.length !== HASH_SIZE)) {
    throw new ProtocolError('MERKLE_READER', 'frontier does not match its size');
  }
  return f;
}

/** Appends leaf hashes to a frontier; returns the new frontier (the input is not modified). */
export function frontierAppend(f: Frontier, leaves: Uint8Array[]): Frontier {
  assertFrontier(f);
  const hashes = [...f.hashes];
  let size = f.size;
  for (const leaf of leaves) {
    if (leaf.length !== HASH_SIZE) throw new ProtocolError('MERKLE_HASH_SIZE', 'leaf hashes must be 32 bytes');
    let h = leaf;
    for (let i = trailingOnes(size); i > 0; i--) h = nodeHash(hashes.pop()!, h);
    hashes.push(h);
    size++;
  }
  return { size, hashes };
}

/** RFC 6962 root of the tree a frontier describes. */
export function frontierRoot(f: Frontier): Uint8Array {
  assertFrontier(f);
  if (f.size === 0) return EMPTY_TREE_HASH.slice();
  let r = f.hashes[f.hashes.length - 1]!;
  for (let i = f.hashes.length - 2; i >= 0; i--) r = nodeHash(f.hashes[i]!, r);
  return r;
}

/** True when appending `leaves` to `f` yields a tree of `size` with root `root`. */
export function frontierExtends(f: Frontier, leaves: Uint8Array[], size: number, root: Uint8Array): boolean {
  const next = frontierAppend(f, leaves);
  return next.size === size && bytesEqual(frontierRoot(next), root);
}

/** Reads the frontier of the first `size` leaves of a stored tree. */
export function readFrontier(size: number, reader: HashReader): Frontier {
  const idx = frontierIndexes(size);
  return assertFrontier({ size, hashes: idx.length === 0 ? [] : reader.readHashes(idx) });
}

/** {@link readFrontier} through an asynchronous reader. */
export async function readFrontierAsync(size: number, reader: AsyncHashReader): Promise<Frontier> {
  const idx = frontierIndexes(size);
  return assertFrontier({ size, hashes: idx.length === 0 ? [] : await reader.readHashes(idx) });
}
