import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { leafHash, nodeHash, EMPTY_TREE_HASH } from '../../../../protocol/merkle/hash';
import {
  storedHashIndex, splitStoredHashIndex, storedHashCount, appendLeafHashes, frontierIndexes, storedHashesForLeaf,
} from '../../../../protocol/merkle/stored';
import { treeHash, treeHashAsync, rootFromLeafHashes, rangeHash } from '../../../../protocol/merkle/tree';
import { proveInclusion, proveConsistency, proveInclusionAsync, proveConsistencyAsync } from '../../../../protocol/merkle/prove';
import { verifyInclusion, verifyConsistency } from '../../../../protocol/merkle/verify';
import { createMemoryTree } from '../../../../protocol/merkle/memory';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

// The RFC 6962 reference test tree (certificate-transparency merkle_tree_test.cc).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function treeOf(n: number) {
  const t = createMemoryTree();
  t.appendEntries(Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf ${i}`)));
  return t;
}

describe('RFC 6962 hashing', () => {
  it('hashes the empty tree, leaves and nodes', () => {
    expect(hex(EMPTY_TREE_HASH)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(new Uint8Array(0)))).toBe(ROOTS[0]);
    expect(hex(nodeHash(leafHash(LEAVES[0]!), leafHash(LEAVES[1]!)))).toBe(ROOTS[1]);
    expect(() => nodeHash(new Uint8Array(31), new Uint8Array(32))).toThrow(/MERKLE_HASH_SIZE/);
  });
  it('matches the reference roots at every size, incrementally and directly', () => {
    const t = createMemoryTree();
    LEAVES.forEach((l, i) => {
      t.appendEntries([l]);
      expect(hex(t.root())).toBe(ROOTS[i]);
      expect(hex(rootFromLeafHashes(LEAVES.slice(0, i + 1).map(leafHash)))).toBe(ROOTS[i]);
    });
    ROOTS.forEach((r, i) => expect(hex(t.root(i + 1))).toBe(r));
    expect(hex(t.root(0))).toBe(hex(EMPTY_TREE_HASH));
  });
});

describe('stored hash indexing', () => {
  it('matches the Go tlog layout for small trees', () => {
    // leaf 0 -> 0; leaf 1 -> 1, node(1,0) -> 2; leaf 2 -> 3; leaf 3 -> 4, (1,1) -> 5, (2,0) -> 6
    expect([storedHashIndex(0, 0), storedHashIndex(0, 1), storedHashIndex(1, 0), storedHashIndex(0, 2), storedHashIndex(0, 3), storedHashIndex(1, 1), storedHashIndex(2, 0)])
      .toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([0, 1, 2, 3, 4, 5, 8, 15, 16].map(storedHashCount)).toEqual([0, 1, 3, 4, 7, 8, 15, 26, 31]);
  });
  it('splitStoredHashIndex inverts storedHashIndex (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 2 ** 20 }), (level, n) => {
      const i = storedHashIndex(level, n);
      expect(splitStoredHashIndex(i)).toEqual({ level, n });
    }));
    for (let i = 0; i < 2000; i++) {
      const { level, n } = splitStoredHashIndex(i);
      expect(storedHashIndex(level, n)).toBe(i);
    }
  });
  it('batch append equals one-by-one append', () => {
    const leaves = Array.from({ length: 300 }, (_, i) => leafHash(new Uint8Array([i & 255, i >> 8])));
    const one: Uint8Array[] = [];
    const reader = { readHashes: (ix: number[]) => ix.map((i) => one[i]!) };
    leaves.forEach((l, n) => one.push(...storedHashesForLeaf(n, l, reader)));
    const t = createMemoryTree();
    t.appendLeafHashes(leaves.slice(0, 77));
    const more = appendLeafHashes(77, t.readHashes(frontierIndexes(77)), leaves.slice(77));
    const all = [...t.readHashes(Array.from({ length: storedHashCount(77) }, (_, i) => i)), ...more];
    expect(all.map(hex)).toEqual(one.map(hex));
    expect(all.length).toBe(storedHashCount(300));
  });
});

describe('proofs from stored hashes (properties)', () => {
  const big = treeOf(600);
  const flip = (hs: Uint8Array[], i: number, bit: number) => hs.map((h, j) => (j === i ? h.map((b, k) => (k === bit >> 3 ? b ^ (1 << (bit & 7)) : b)) : h));

  it('every generated inclusion proof verifies; any single-bit change fails', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 600 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (size, a, b, bit) => {
      const index = a % size;
      const root = big.root(size);
      const leaf = big.readHashes([storedHashIndex(0, index)])[0]!;
      const proof = proveInclusion(index, size, big);
      expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
      expect(verifyInclusion(flip([leaf], 0, bit)[0]!, index, size, proof, root)).toBe(false);
      expect(verifyInclusion(leaf, index, size, proof, flip([root], 0, bit)[0]!)).toBe(false);
      if (proof.length > 0) expect(verifyInclusion(leaf, index, size, flip(proof, b % proof.length, bit), root)).toBe(false);
      if (size > 1) expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
    }), { numRuns: 300 });
  });

  it('every generated consistency proof verifies; any single-bit change fails', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (x, y, b, bit) => {
      const [s1, s2] = x <= y ? [x, y] : [y, x];
      const r1 = big.root(s1);
      const r2 = big.root(s2);
      const proof = proveConsistency(s1, s2, big);
      expect(verifyConsistency(s1, s2, proof, r1, r2)).toBe(true);
      if (s1 < s2) {
        expect(verifyConsistency(s1, s2, proof, flip([r1], 0, bit)[0]!, r2)).toBe(false);
        expect(verifyConsistency(s1, s2, proof, r1, flip([r2], 0, bit)[0]!)).toBe(false);
        expect(verifyConsistency(s1, s2, flip(proof, b % proof.length, bit), r1, r2)).toBe(false);
        expect(verifyConsistency(s1, s2, proof.slice(0, -1), r1, r2)).toBe(false);
      } else {
        expect(proof).toEqual([]);
      }
    }), { numRuns: 300 });
  });

  it('rangeHash equals the MTH of any leaf range (property)', () => {
    const leaves = big.readHashes(Array.from({ length: 600 }, (_, i) => storedHashIndex(0, i)));
    fc.assert(fc.property(fc.integer({ min: 0, max: 599 }), fc.integer({ min: 1, max: 600 }), (a, len) => {
      const hi = Math.min(600, a + len);
      expect(hex(rangeHash(a, hi, big))).toBe(hex(rootFromLeafHashes(leaves.slice(a, hi))));
    }), { numRuns: 300 });
    expect(hex(rangeHash(0, 600, big))).toBe(hex(big.root(600)));
    expect(() => rangeHash(5, 5, big)).toThrow(/MERKLE_RANGE/);
  });

  it('async readers give the same results', async () => {
    const reader = { readHashes: async (ix: number[]) => big.readHashes(ix) };
    expect(hex(await treeHashAsync(513, reader))).toBe(hex(treeHash(513, big)));
    expect((await proveInclusionAsync(100, 513, reader)).map(hex)).toEqual(proveInclusion(100, 513, big).map(hex));
    expect((await proveConsistencyAsync(100, 513, reader)).map(hex)).toEqual(proveConsistency(100, 513, big).map(hex));
  });

  it('rejects out-of-range requests with stable codes', () => {
    expect(() => proveInclusion(5, 5, big)).toThrow(/MERKLE_RANGE/);
    expect(() => proveConsistency(0, 5, big)).toThrow(/MERKLE_RANGE/);
    expect(() => proveConsistency(6, 5, big)).toThrow(/MERKLE_RANGE/);
    expect(() => big.root(601)).toThrow(/MERKLE_RANGE/);
    expect(() => treeHash(3, { readHashes: () => [] })).toThrow(/MERKLE_READER/);
  });
});
