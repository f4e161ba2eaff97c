import type { EntityName } from '../standard/entities';

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
  /**
   * `has(refKey(entity, ref))` without building the key string: the import's per-row reference check
   * (optional; the pipeline falls back to `has`).
   */
  hasRef?(entity: EntityName, ref: string): boolean | Promise<boolean>;
}

/** Natural keys accepted so far in one import, with the line that brought each. */
export interface ImportKeyIndex {
  /** Line of the earlier accepted record with `key` (0 if it came from a file without lines), or undefined. */
  lineOf(key: string): number | undefined;
  add(key: string, line: number): void;
  readonly size: number;
}

/**
 * Compact in-memory {@link ImportKeyIndex}: an open-addressing table of 64-bit key fingerprints
 * (two independent 32-bit hashes) and line numbers, 12 bytes per slot at load <= 0.5, so about
 * 24 MB per million keys instead of ~100 MB for a `Map` of strings. A slot's three words sit side
 * by side (one cache line per probe on a table far larger than the CPU caches). Two distinct keys
 * collide with probability ~n²/2^65 (about 3e-8 for a million keys); a collision would show up as
 * a `duplicate_key` reject naming the earlier line, never as silent loss.
 */
export function createMemoryKeyIndex(): ImportKeyIndex {
  let cap = 1 << 16;
  // slot i: [3i] first hash, [3i+1] second hash (0 = empty slot), [3i+2] line
  let table = new Int32Array(cap * 3);
  let size = 0;
  // the two 32-bit hashes of the key last passed to hash2 (FNV-1a and a murmur3-style mix, the
  // second never 0): scratch variables instead of an array per lookup; the two keys hashed last are
  // remembered, so `add` after `lineOf` of the same key (with a reference looked up in between, the
  // import's common case) hashes it once
  let ha = 0;
  let hb = 0;
  let k1: string | undefined;
  let a1 = 0;
  let b1 = 0;
  let k2: string | undefined;
  let a2 = 0;
  let b2 = 0;
  const hash2 = (key: string): void => {
    if (key === k1) {
      ha = a1;
      hb = b1;
      return;
    }
    if (key === k2) {
      ha = a2;
      hb = b2;
      return;
    }
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
    // int32 (not uint32) values stay small integers in the engine: no boxing per lookup
    ha = a | 0;
    hb = (b | 0) || 1;
    k2 = k1;
    a2 = a1;
    b2 = b1;
    k1 = key;
    a1 = ha;
    b1 = hb;
  };
  /** Word offset of the slot holding (a, b), or of the empty slot where it would go. */
  const slot = (a: number, b: number, t: Int32Array, mask: number): number => {
    let i = a & mask;
    for (;;) {
      const o = i * 3;
      const tb = t[o + 1]!;
      if (tb === 0 || (tb === b && t[o] === a)) return o;
      i = (i + 1) & mask;
    }
  };
  const grow = () => {
    const old = table;
    cap *= 2;
    table = new Int32Array(cap * 3);
    for (let o = 0; o < old.length; o += 3) {
      if (old[o + 1] === 0) continue;
      const j = slot(old[o]!, old[o + 1]!, table, cap - 1);
      table[j] = old[o]!;
      table[j + 1] = old[o + 1]!;
      table[j + 2] = old[o + 2]!;
    }
  };
  return {
    lineOf(key) {
      hash2(key);
      const o = slot(ha, hb, table, cap - 1);
      return table[o + 1] === 0 ? undefined : table[o + 2];
    },
    add(key, line) {
      if ((size + 1) * 2 > cap) grow();
      hash2(key);
      const o = slot(ha, hb, table, cap - 1);
      if (table[o + 1] === 0) size++;
      table[o] = ha;
      table[o + 1] = hb;
      table[o + 2] = Math.min(line, 0x7fffffff);
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
