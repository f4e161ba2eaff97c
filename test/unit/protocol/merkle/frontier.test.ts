import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { emptyFrontier, frontierAppend, frontierRoot, frontierExtends, readFrontier, readFrontierAsync } from '../../../../protocol/merkle/frontier';
import { createMemoryTree } from '../../../../protocol/merkle/memory';
import { leafHash } from '../../../../protocol/merkle/hash';
import { bundlesForRange } from '../../../../protocol/tiles/path';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const leaves = Array.from({ length: 700 }, (_, i) => leafHash(new TextEncoder().encode(`x${i}`)));
const tree = createMemoryTree();
tree.appendLeafHashes(leaves);

describe('frontier', () => {
  it('appending in any split gives the stored tree root (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 700 }), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const f = readFrontier(lo, tree);
      expect(hex(frontierRoot(f))).toBe(hex(tree.root(lo)));
      const next = frontierAppend(f, leaves.slice(lo, hi));
      expect(next.size).toBe(hi);
      expect(next.hashes.map(hex)).toEqual(readFrontier(hi, tree).hashes.map(hex));
      expect(frontierExtends(f, leaves.slice(lo, hi), hi, tree.root(hi))).toBe(true);
      if (hi > lo) {
        const bad = leaves.slice(lo, hi);
        bad[0] = leafHash(new Uint8Array([1]));
        expect(frontierExtends(f, bad, hi, tree.root(hi))).toBe(false);
      }
    }), { numRuns: 200 });
  });
  it('starts empty and reads asynchronously', async () => {
    expect(hex(frontierRoot(emptyFrontier()))).toBe(hex(tree.root(0)));
    const f = await readFrontierAsync(300, { readHashes: async (ix) => tree.readHashes(ix) });
    expect(hex(frontierRoot(f))).toBe(hex(tree.root(300)));
    expect(() => frontierRoot({ size: 3, hashes: [] })).toThrow(/MERKLE_READER/);
  });
  it('lists the entry bundles of a range', () => {
    expect(bundlesForRange(250, 600)).toEqual([
      { level: 'entries', index: 0, width: 256, skip: 250 },
      { level: 'entries', index: 1, width: 256, skip: 0 },
      { level: 'entries', index: 2, width: 88, skip: 0 },
    ]);
    expect(bundlesForRange(512, 512)).toEqual([]);
    expect(() => bundlesForRange(5, 4)).toThrow(/TILE_SIZE/);
  });
});
