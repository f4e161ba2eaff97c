import { describe, it, expect, beforeAll } from 'vitest';
import { tilePath, parseTilePath, encodeTileIndex, tilesForSize, tileWidth } from '../../../../protocol/tiles/path';
import { readTile, tileHashes, readTileAsync } from '../../../../protocol/tiles/tile';
import { encodeEntryBundle, decodeEntryBundle, bundleLeafHashes } from '../../../../protocol/tiles/bundle';
import { createMemoryTree } from '../../../../protocol/merkle/memory';
import { leafHash } from '../../../../protocol/merkle/hash';
import { rootFromLeafHashes } from '../../../../protocol/merkle/tree';
import { ready } from '../../../../protocol/crypto/sodium';
import { openNote } from '../../../../protocol/note/note';
import { parseCheckpoint } from '../../../../protocol/note/checkpoint';
import { tesseraFile, tesseraVerifierKey } from '../../../fixtures/protocol/vectors';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('tile paths', () => {
  const paths: [string, { level: number | 'entries'; index: number; width: number }][] = [
    ['tile/0/000', { level: 0, index: 0, width: 256 }],
    ['tile/0/000.p/3', { level: 0, index: 0, width: 3 }],
    ['tile/1/x001/x234/067', { level: 1, index: 1234067, width: 256 }],
    ['tile/entries/x001/000.p/255', { level: 'entries', index: 1000, width: 255 }],
    ['tile/63/999', { level: 63, index: 999, width: 256 }],
  ];
  it.each(paths)('%s', (path, ref) => {
    expect(tilePath(ref)).toBe(path);
    expect(parseTilePath(path)).toEqual(ref);
  });
  it.each([
    'tile/0/0', 'tile/00/000', 'tile/64/000', 'tile/0/x000/001', 'tile/0/001.p/0', 'tile/0/001.p/256', 'tile/0/001.p/08',
    'tile/0/1234', 'tile/0/x1/000', 'tile/entries/000.p/', '/tile/0/000', 'tile/0/000/',
  ])('rejects %s', (p) => expect(() => parseTilePath(p)).toThrow(/TILE_PATH/));
  it('encodes indexes', () => {
    expect([0, 5, 999, 1000, 1234067].map(encodeTileIndex)).toEqual(['000', '005', '999', 'x001/000', 'x001/x234/067']);
  });
  it('lists tiles for a size (spec examples)', () => {
    const t = tilesForSize(70_000);
    const l0 = t.filter((x) => x.level === 0);
    expect(l0.filter((x) => x.width === 256)).toHaveLength(273);
    expect(l0.filter((x) => x.width < 256).map((x) => x.width)).toEqual([112]);
    expect(t.filter((x) => x.level === 1).map((x) => x.width)).toEqual([256, 17]);
    expect(t.filter((x) => x.level === 2).map((x) => x.width)).toEqual([1]);
    expect(tilesForSize(256)).toEqual([{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]);
    expect(tilesForSize(0)).toEqual([]);
    expect(tilesForSize(600, { fromSize: 520, entries: true }).map(tilePath))
      .toEqual(['tile/0/002.p/88', 'tile/entries/002.p/88', 'tile/1/000.p/2']);
    expect(tileWidth(0, 2, 600)).toBe(88);
    expect(tileWidth(0, 3, 600)).toBe(0);
  });
});

describe('tile contents and bundles', () => {
  it('level-1 tile hashes are the roots of full level-0 tiles', async () => {
    const t = createMemoryTree();
    const entries = Array.from({ length: 256 * 3 + 5 }, (_, i) => new TextEncoder().encode(`e${i}`));
    t.appendEntries(entries);
    const l1 = tileHashes(readTile(1, 0, 3, t), 3);
    for (let i = 0; i < 3; i++) {
      expect(hex(l1[i]!)).toBe(hex(rootFromLeafHashes(entries.slice(i * 256, (i + 1) * 256).map(leafHash))));
    }
    const l0 = tileHashes(readTile(0, 3, 5, t), 5);
    expect(l0.map(hex)).toEqual(entries.slice(768).map(leafHash).map(hex));
    expect(hex(await readTileAsync(0, 3, 5, { readHashes: async (ix) => t.readHashes(ix) }))).toBe(hex(readTile(0, 3, 5, t)));
    expect(() => tileHashes(new Uint8Array(33), 1)).toThrow(/TILE_SIZE/);
  });

  it('round-trips entry bundles and rejects malformed ones', () => {
    const entries = [new Uint8Array(0), new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(7)];
    const b = encodeEntryBundle(entries);
    expect(hex(b.subarray(0, 7))).toBe('00000003010203');
    expect(decodeEntryBundle(b, 3)).toEqual(entries);
    expect(() => decodeEntryBundle(b, 2)).toThrow(/BUNDLE_MALFORMED/);
    expect(() => decodeEntryBundle(b.subarray(0, b.length - 1))).toThrow(/BUNDLE_MALFORMED/);
    expect(() => decodeEntryBundle(new Uint8Array([0]))).toThrow(/BUNDLE_MALFORMED/);
    expect(() => encodeEntryBundle([new Uint8Array(65536)])).toThrow(/BUNDLE_MALFORMED/);
    expect(() => encodeEntryBundle([])).toThrow(/BUNDLE_MALFORMED/);
  });
});

describe('Tessera test log', () => {
  beforeAll(ready);
  // The vector log's entries, spelled as Tessera's testdata spells them.
  const words = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eit', 'nain', 'ten', 'ileven', 'twelf', 'threeten', 'fourten', 'fivten'];
  it('every entry bundle and level-0 tile matches its checkpoint root', () => {
    const vkey = tesseraVerifierKey();
    for (let n = 1; n <= 15; n++) {
      const cp = parseCheckpoint(openNote(new TextDecoder().decode(tesseraFile(`checkpoint.${n}`)), [vkey]).text);
      const bundlePath = tilePath({ level: 'entries', index: 0, width: n });
      const tile = tesseraFile(tilePath({ level: 0, index: 0, width: n }));
      const entries = decodeEntryBundle(tesseraFile(bundlePath), n);
      expect(entries.map((e) => new TextDecoder().decode(e))).toEqual(words.slice(0, n));
      const leaves = bundleLeafHashes(tesseraFile(bundlePath), n);
      expect(tileHashes(tile, n).map(hex)).toEqual(leaves.map(hex));
      expect(hex(rootFromLeafHashes(leaves))).toBe(hex(cp.rootHash));
      // our own tree serves byte-identical tiles and bundles
      const t = createMemoryTree();
      t.appendEntries(entries);
      expect(hex(readTile(0, 0, n, t))).toBe(hex(tile));
      expect(hex(encodeEntryBundle(entries))).toBe(hex(tesseraFile(bundlePath)));
      expect(hex(t.root())).toBe(hex(cp.rootHash));
    }
  });
});
