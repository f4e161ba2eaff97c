/**
 * Stored-hash layout for incremental logs (docs/protocol.md §5.3). Every node of the tree whose
 * subtree is complete is stored once, in append order, at a linear *stored hash index*: appending
 * leaf `n` stores its leaf hash followed by the hashes of every complete subtree it closes. This is
 * the layout of Go's `golang.org/x/mod/sumdb/tlog`, so `(level, n)` <-> index matches that package.
 *
 * The node keeps these hashes (e.g. in PostgreSQL) and serves reads through a {@link HashReader}.
 */
import { ProtocolError } from '../errors';
import { HASH_SIZE, assertSize, nodeHash, trailingOnes } from './hash';

/** Synchronous access to stored hashes by stored hash index. Must return one 32-byte hash per index, in order. */
export interface HashReader {
  readHashes(indexes: number[]): Uint8Array[];
}

/** Asynchronous variant of {@link HashReader} (e.g. backed by a database). */
export interface AsyncHashReader {
  readHashes(indexes: number[]): Promise<Uint8Array[]>;
}

/**
 * Stored hash index of the hash at `level` (0 = leaves) and position `n` within that level, i.e. the
 * root of leaves `[n * 2^level, (n+1) * 2^level)`.
 */
export function storedHashIndex(level: number, n: number): number {
  assertSize(level, 'level');
  assertSize(n, 'n');
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  let i = 0;
  while (n > 0) {
    i += n;
    n = Math.floor(n / 2);
  }
  if (!Number.isSafeInteger(i + level)) throw new ProtocolError('MERKLE_RANGE', 'stored hash index beyond 2^53');
  return i + level;
}

/** Inverse of {@link storedHashIndex}. */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  assertSize(index, 'index');
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  while (indexN > index && n > 0) {
    n--;
    indexN = storedHashIndex(0, n);
  }
  for (;;) {
    const x = indexN + 1 + trailingOnes(n);
    if (x > index) break;
    n++;
    indexN = x;
  }
  const level = index - indexN;
  return { level, n: Math.floor(n / 2 ** level) };
}

/** Number of stored hashes of a tree with `size` leaves. */
export function storedHashCount(size: number): number {
  assertSize(size, 'size');
  if (size === 0) return 0;
  return storedHashIndex(0, size - 1) + 1 + trailingOnes(size - 1);
}

/** Indexes of the stored hashes that leaf `n` combines with when appended (its left siblings). */
export function storedHashesForLeafIndexes(n: number): number[] {
  assertSize(n, 'n');
  const m = trailingOnes(n);
  const out = new Array<number>(m);
  for (let i = 0; i < m; i++) out[m - 1 - i] = storedHashIndex(i, Math.floor(n / 2 ** i) - 1);
  return out;
}

/**
 * The hashes to store when appending leaf `n` with hash `leaf`, in stored-index order starting at
 * `storedHashCount(n)`: the leaf hash, then one hash per complete subtree that leaf closes.
 * `siblings` are the hashes at {@link storedHashesForLeafIndexes}(n).
 */
export function storedHashesForLeafFrom(n: number, leaf: Uint8Array, siblings: Uint8Array[]): Uint8Array[] {
  const m = trailingOnes(n);
  if (siblings.length !== m) throw new ProtocolError('MERKLE_READER', `expected ${m} sibling hashes`);
  const out = [leaf];
  let h = leaf;
  for (let i = 0; i < m; i++) {
    h = nodeHash(siblings[m - 1 - i]!, h);
    out.push(h);
  }
  return out;
}

/** {@link storedHashesForLeafFrom} reading the siblings through `reader`. */
export function storedHashesForLeaf(n: number, leaf: Uint8Array, reader: HashReader): Uint8Array[] {
  const idx = storedHashesForLeafIndexes(n);
  return storedHashesForLeafFrom(n, leaf, checkedRead(reader, idx));
}

/**
 * Stored hash indexes of the maximal complete subtrees of a tree of `size` leaves, left to right
 * (RFC 6962 §2.1 decomposition). These are the only old hashes needed to append to the tree.
 */
export function frontierIndexes(size: number): number[] {
  return subtreeIndexes(0, size, []);
}

/** Appends stored-hash indexes of the complete subtrees covering `[lo, hi)` to `need`. */
export function subtreeIndexes(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    let k = 1;
    let level = 0;
    while (k * 2 <= hi - lo) {
      k *= 2;
      level++;
    }
    // lo is a multiple of k because subtrees are taken largest-first from a multiple of a larger power.
    need.push(storedHashIndex(level, lo / k));
    lo += k;
  }
  return need;
}

/**
 * Appends `leaves` (leaf hashes) to a tree of `oldSize` leaves whose frontier hashes
 * (`frontierIndexes(oldSize)`, left to right) are `frontier`. Returns every new stored hash in index
 * order; the first belongs at index `storedHashCount(oldSize)`. O(total new hashes) hashing work.
 */
export function appendLeafHashes(oldSize: number, frontier: Uint8Array[], leaves: Uint8Array[]): Uint8Array[] {
  assertSize(oldSize, 'oldSize');
  const expected = frontierIndexes(oldSize).length;
  if (frontier.length !== expected) throw new ProtocolError('MERKLE_READER', `expected ${expected} frontier hashes`);
  // The frontier is a stack of complete-subtree roots; appending leaf n merges it with one stack
  // entry per trailing 1 bit of n, and each merge result is exactly the next stored hash.
  const stack = frontier.map(checkHash);
  const out: Uint8Array[] = [];
  let n = oldSize;
  for (const leaf of leaves) {
    let h = checkHash(leaf);
    out.push(h);
    for (let i = trailingOnes(n); i > 0; i--) {
      h = nodeHash(stack.pop()!, h);
      out.push(h);
    }
    stack.push(h);
    n++;
  }
  return out;
}

function checkHash(h: Uint8Array): Uint8Array {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new ProtocolError('MERKLE_HASH_SIZE', 'hashes must be 32 bytes');
  return h;
}

/** Reads `indexes` through `reader` and checks the answer has one 32-byte hash per index. */
export function checkedRead(reader: HashReader, indexes: number[]): Uint8Array[] {
  if (indexes.length === 0) return [];
  return checkReadResult(reader.readHashes(indexes), indexes.length);
}

/** Checks a reader's answer: `count` hashes of 32 bytes. */
export function checkReadResult(hashes: Uint8Array[], count: number): Uint8Array[] {
  if (!Array.isArray(hashes) || hashes.length !== count) {
    throw new ProtocolError('MERKLE_READER', `hash reader returned ${hashes?.length} hashes, want ${count}`);
  }
  for (const h of hashes) checkHash(h);
  return hashes;
}
