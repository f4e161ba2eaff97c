/**
 * Tile contents from stored hashes (c2sp.org/tlog-tiles "Merkle Tree"): the `n`-th tile at level
 * `l` holds, for `i` in 0..w-1, `MTH(D[(n*256+i) * 256^l : (n*256+i+1) * 256^l])`, which is the stored
 * hash at tree level `8l`, position `n*256+i`.
 */
import { ProtocolError } from '../errors';
import { HASH_SIZE } from '../merkle/hash';
import { checkReadResult, checkedRead, storedHashIndex, type AsyncHashReader, type HashReader } from '../merkle/stored';
import { TILE_HEIGHT, TILE_WIDTH } from './path';

function checkTile(level: number, index: number, width: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 63) throw new ProtocolError('TILE_PATH', 'tile level must be 0..63');
  if (!Number.isSafeInteger(index) || index < 0) throw new ProtocolError('TILE_PATH', 'tile index must be a non-negative integer');
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new ProtocolError('TILE_PATH', 'tile width must be 1..256');
}

/** Stored hash indexes of the hashes in tile `(level, index)` of width `width`. */
export function tileHashIndexes(level: number, index: number, width: number): number[] {
  checkTile(level, index, width);
  const out = new Array<number>(width);
  for (let i = 0; i < width; i++) out[i] = storedHashIndex(level * TILE_HEIGHT, index * TILE_WIDTH + i);
  return out;
}

/** Concatenates tile hashes into the tile's bytes. */
export function tileBytesFrom(hashes: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}

/** Tile bytes (width * 32) read through `reader`. */
export function readTile(level: number, index: number, width: number, reader: HashReader): Uint8Array {
  return tileBytesFrom(checkedRead(reader, tileHashIndexes(level, index, width)));
}

/** {@link readTile} through an asynchronous reader. */
export async function readTileAsync(level: number, index: number, width: number, reader: AsyncHashReader): Promise<Uint8Array> {
  const idx = tileHashIndexes(level, index, width);
  return tileBytesFrom(checkReadResult(await reader.readHashes(idx), idx.length));
}

/** Splits tile bytes into hashes; throws `TILE_SIZE` unless the length is `width * 32`. */
export function tileHashes(tile: Uint8Array, width: number): Uint8Array[] {
  if (tile.length !== width * HASH_SIZE || width < 1 || width > TILE_WIDTH) throw new ProtocolError('TILE_SIZE', `tile must be ${width} hashes`);
  return Array.from({ length: width }, (_, i) => tile.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
}
