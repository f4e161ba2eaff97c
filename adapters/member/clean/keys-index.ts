/**
 * Key bookkeeping during an import (docs/data-standard.md §5.1, §5.3): which natural keys this import
 * accepted already (de-duplication), and which keys the node already stores (referential checks).
 */

/**
 * Keys the node already stores (implemented by the node over its record tables). `key` is a
 * natural key string such as `customer:C-1` (see `naturalKey`). May answer synchronously (from a
 * preloaded set or cache) or asynchronously (a database lookup).
 */
export interface KnownKeys {
  has(key: string): boolean | Promise<boolean>;
}

/** Natural keys accepted so far in one import, with the line that brought each. */
export interface ImportKeyIndex {
  /** Line of the earlier accepted record with `key` (0 if it came from a file without lines), or undefined. */
  lineOf(key: string): number | undefined;
  add(key: string, line: number): void;
  readonly size: number;
}

/** Two independent 32-bit hashes of a string (FNV-1a and a murmur3-style mix), never both 0. */
function hash2(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16; a = Math.imul(a, 0x85ebca6b); a ^= a >>> 13;
  b ^= b >>> 13; b = Math.imul(b, 0xc2b2ae35); b ^= b >>> 16;
  return [a >>> 0, (b >>> 0) || 1];
}

/**
 * Compact in-memory {@link ImportKeyIndex}: an open-addressing table of 64-bit key fingerprints
 * (two independent 32-bit hashes) and line numbers, 12 bytes per slot at load <= 0.5, so about
 * 24 MB per million keys instead of ~100 MB for a `Map` of strings. Two distinct keys collide with
 * probability ~n²/2^65 (about 3e-8 for a million keys); a collision would show up as a
 * `duplicate_key` reject naming the earlier line, never as silent loss.
 */
export function createMemoryKeyIndex(): ImportKeyIndex {
  let cap = 1 << 16;
  let h1 = new Uint32Array(cap);
  let h2 = new Uint32Array(cap);
  let lines = new Int32Array(cap);
  let size = 0;
  const slot = (a: number, b: number, t1: Uint32Array, t2: Uint32Array, mask: number): number => {
    let i = a & mask;
    while (t2[i] !== 0 && !(t1[i] === a && t2[i] === b)) i = (i + 1) & mask;
    return i;
  };
  const grow = () => {
    const [o1, o2, ol] = [h1, h2, lines];
    cap *= 2;
    h1 = new Uint32Array(cap);
    h2 = new Uint32Array(cap);
    lines = new Int32Array(cap);
    for (let i = 0; i < o1.length; i++) {
      if (o2[i] === 0) continue;
      const j = slot(o1[i]!, o2[i]!, h1, h2, cap - 1);
      h1[j] = o1[i]!;
      h2[j] = o2[i]!;
      lines[j] = ol[i]!;
    }
  };
  return {
    lineOf(key) {
      const [a, b] = hash2(key);
      const i = slot(a, b, h1, h2, cap - 1);
      return h2[i] === 0 ? undefined : lines[i];
    },
    add(key, line) {
      if ((size + 1) * 2 > cap) grow();
      const [a, b] = hash2(key);
      const i = slot(a, b, h1, h2, cap - 1);
      if (h2[i] === 0) size++;
      h1[i] = a;
      h2[i] = b;
      lines[i] = Math.min(line, 0x7fffffff);
    },
    get size() {
      return size;
    },
  };
}

/** {@link KnownKeys} over a fixed set of keys (tests, preloaded caches). */
export function knownKeysFromSet(keys: Iterable<string>): KnownKeys {
  const set = new Set(keys);
  return { has: (key) => set.has(key) };
}

/** Knows no key: every reference must be satisfied within the import itself. */
export const NO_KNOWN_KEYS: KnownKeys = { has: () => false };
