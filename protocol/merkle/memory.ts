/**
 * An in-memory stored-hash tree: a reference {@link HashReader} implementation for tests, tools and
 * small logs. A database-backed node mirrors it: keep `hashes[i]` at stored index `i`, append with
 * `appendLeafHashes`, read with `readHashes`.
 */
import { ProtocolError } from '../errors';
import { leafHash } from './hash';
import { appendLeafHashes, frontierIndexes, storedHashCount, type HashReader } from './stored';
import { treeHash } from './tree';

/** In-memory Merkle tree over stored hashes. */
export interface MemoryTree extends HashReader {
  /** Number of leaves. */
  readonly size: number;
  /** Appends entries (hashing them as RFC 6962 leaves); returns the index of the first. */
  appendEntries(entries: Uint8Array[]): number;
  /** Appends precomputed leaf hashes; returns the index of the first. */
  appendLeafHashes(leaves: Uint8Array[]): number;
  /** Root hash at `size` (default: current size). */
  root(size?: number): Uint8Array;
}

/** Creates an empty {@link MemoryTree}. */
export function createMemoryTree(): MemoryTree {
  const hashes: Uint8Array[] = [];
  let size = 0;
  const tree: MemoryTree = {
    get size() {
      return size;
    },
    readHashes(indexes) {
      return indexes.map((i) => {
        const h = hashes[i];
        if (!h) throw new ProtocolError('MERKLE_READER', `stored hash ${i} not present`);
        return h;
      });
    },
    appendLeafHashes(leaves) {
      const first = size;
      const frontier = tree.readHashes(frontierIndexes(size));
      const added = appendLeafHashes(size, frontier, leaves);
      for (const h of added) hashes.push(h);
      size += leaves.length;
      if (hashes.length !== storedHashCount(size)) throw new ProtocolError('MERKLE_READER', 'stored hash count out of step');
      return first;
    },
    appendEntries(entries) {
      return tree.appendLeafHashes(entries.map(leafHash));
    },
    root(at = size) {
      if (at > size) throw new ProtocolError('MERKLE_RANGE', 'size beyond the tree');
      return treeHash(at, tree);
    },
  };
  return tree;
}
