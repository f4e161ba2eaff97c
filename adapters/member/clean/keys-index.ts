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

/**
 * In-memory {@link ImportKeyIndex}. Memory grows with the number of distinct keys in one import
 * (about 100 bytes per key); a node importing files beyond a few million rows can supply an
 * index backed by a temporary table instead.
 */
export function createMemoryKeyIndex(): ImportKeyIndex {
  const seen = new Map<string, number>();
  return {
    lineOf: (key) => seen.get(key),
    add: (key, line) => void seen.set(key, line),
    get size() {
      return seen.size;
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
