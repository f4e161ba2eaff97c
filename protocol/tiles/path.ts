/**
 * C2SP tlog-tiles resource paths (c2sp.org/tlog-tiles "Merkle Tree", "Log entries"):
 * `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, where `<N>` is split into zero-padded
 * 3-digit groups, all but the last prefixed with `x` (1234067 -> `x001/x234/067`).
 */
import { ProtocolError } from '../errors';

/** Hashes per full tile (tile height 8). */
export const TILE_WIDTH = 256;
/** Tree levels spanned by one tile level. */
export const TILE_HEIGHT = 8;
/** Highest tile level allowed in paths. */
export const MAX_TILE_LEVEL = 63;

/** A tile or entry bundle: `level` is `'entries'` for bundles; `width` 1..256 (256 = full tile). */
export interface TileRef {
  level: number | 'entries';
  index: number;
  width: number;
}

/** Encodes a tile index as `x`-prefixed 3-digit groups. */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new ProtocolError('TILE_PATH', 'tile index must be a non-negative integer');
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** Formats the path (relative to the log prefix) of a tile or entry bundle. */
export function tilePath(t: TileRef): string {
  if (t.level !== 'entries' && (!Number.isInteger(t.level) || t.level < 0 || t.level > MAX_TILE_LEVEL)) {
    throw new ProtocolError('TILE_PATH', `tile level must be 0..${MAX_TILE_LEVEL}`);
  }
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH) throw new ProtocolError('TILE_PATH', 'tile width must be 1..256');
  const suffix = t.width === TILE_WIDTH ? '' : `.p/${t.width}`;
  return `tile/${t.level}/${encodeTileIndex(t.index)}${suffix}`;
}

/** Parses a tile or entry bundle path (strict: canonical spelling only); throws `TILE_PATH`. */
export function parseTilePath(path: string): TileRef {
  const m = typeof path === 'string' ? /^tile\/(entries|0|[1-9]\d?)\/((?:x\d{3}\/)*)(\d{3})(?:\.p\/([1-9]\d{0,2}))?$/.exec(path) : null;
  if (!m) throw new ProtocolError('TILE_PATH', 'not a tile path');
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  if (level !== 'entries' && level > MAX_TILE_LEVEL) throw new ProtocolError('TILE_PATH', 'tile level above 63');
  const groups = [...m[2]!.split('/').filter((g) => g !== '').map((g) => g.slice(1)), m[3]!];
  if (groups.length > 1 && groups[0] === '000') throw new ProtocolError('TILE_PATH', 'tile index has a leading zero group');
  if (groups.length > 6) throw new ProtocolError('TILE_PATH', 'tile index too large');
  const index = groups.reduce((acc, g) => acc * 1000 + Number(g), 0);
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4]);
  if (m[4] !== undefined && width > 255) throw new ProtocolError('TILE_PATH', 'partial tile width must be 1..255');
  return { level, index, width };
}

/**
 * Width of tile `(level, index)` in a tree of `size` leaves (entry bundles use level 0): 256 for a
 * full tile, 1..255 for the partial tile, 0 when the tile does not exist at that size.
 */
export function tileWidth(level: number, index: number, size: number): number {
  const hashesAtLevel = Math.floor(size / TILE_WIDTH ** level);
  const w = hashesAtLevel - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, w));
}

/**
 * Every tile a tree of `size` leaves is made of (c2sp.org/tlog-tiles "Partial Tiles"): for each level,
 * the full tiles then the partial one. With `entries: true`, also the entry bundles.
 */
export function tilesForSize(size: number, opts: { entries?: boolean; fromSize?: number } = {}): TileRef[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new ProtocolError('TILE_SIZE', 'size must be a non-negative integer');
  const from = opts.fromSize ?? 0;
  const out: TileRef[] = [];
  for (let level = 0; Math.floor(size / TILE_WIDTH ** level) > 0; level++) {
    const n = Math.floor(size / TILE_WIDTH ** level);
    // skip tiles already complete at `fromSize` (they cannot have changed)
    const firstIndex = Math.floor(Math.floor(from / TILE_WIDTH ** level) / TILE_WIDTH);
    for (let index = firstIndex; index * TILE_WIDTH < n; index++) {
      const width = tileWidth(level, index, size);
      out.push({ level, index, width });
      if (opts.entries && level === 0) out.push({ level: 'entries', index, width });
    }
  }
  return out;
}

/** An entry bundle to fetch for a range, and how many of its leading entries to skip. */
export interface BundleFetch extends TileRef {
  level: 'entries';
  /** Entries at the start of the bundle that precede the range (already processed). */
  skip: number;
}

/**
 * The entry bundles covering entries `[from, to)` of a tree of size `to`, in order, each with the
 * number of leading entries to skip (docs/protocol.md §7 "Replication").
 */
export function bundlesForRange(from: number, to: number): BundleFetch[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw new ProtocolError('TILE_SIZE', 'need 0 <= from <= to');
  }
  const out: BundleFetch[] = [];
  for (let index = Math.floor(from / TILE_WIDTH); index * TILE_WIDTH < to; index++) {
    out.push({ level: 'entries', index, width: tileWidth(0, index, to), skip: Math.max(0, from - index * TILE_WIDTH) });
  }
  return out;
}
