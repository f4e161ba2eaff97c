/** Default byte budget of {@link createTileCache}: 32 MiB of encoded tiles and entry bundles. */
export const DEFAULT_TILE_CACHE_BYTES = 32 * 1024 * 1024;

/** A bounded least-recently-used cache of encoded, immutable tile bodies keyed by tile path. */
export interface TileCache {
  /** The cached bytes for `key` (marks it most recently used), or undefined. */
  get(key: string): Uint8Array | undefined;
  /** Stores `bytes` under `key`, evicting least recently used bodies until the budget holds; bodies larger than the budget are not kept. */
  set(key: string, bytes: Uint8Array): void;
  /** Bytes currently held. */
  readonly bytes: number;
  /** Bodies currently held. */
  readonly size: number;
}

/**
 * Creates a {@link TileCache} bounded by `maxBytes` (sum of body lengths). Only full tiles and full entry
 * bundles belong in it: they are immutable once the log has grown past them (C2SP tlog-tiles), so a cached
 * body is always correct. A `Map` keeps insertion order, so re-inserting on a hit makes it an LRU.
 */
export function createTileCache(maxBytes: number = DEFAULT_TILE_CACHE_BYTES): TileCache {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError('tile cache size must be a non-negative integer');
  const map = new Map<string, Uint8Array>();
  let held = 0;
  return {
    get(key) {
      const hit = map.get(key);
      if (hit) {
        map.delete(key);
        map.set(key, hit);
      }
      return hit;
    },
    set(key, bytes) {
      const prior = map.get(key);
      if (prior) {
        map.delete(key);
        held -= prior.byteLength;
      }
      if (bytes.byteLength > maxBytes) return;
      map.set(key, bytes);
      held += bytes.byteLength;
      for (const [k, v] of map) {
        if (held <= maxBytes) break;
        map.delete(k);
        held -= v.byteLength;
      }
    },
    get bytes() {
      return held;
    },
    get size() {
      return map.size;
    },
  };
}
