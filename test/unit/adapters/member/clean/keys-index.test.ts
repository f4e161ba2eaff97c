import { describe, expect, it } from 'vitest';
import { createMemoryKeyIndex, knownKeysFromSet } from '../../../../../adapters/member/clean/keys-index';

describe('createMemoryKeyIndex', () => {
  it('remembers the line of every key through table growth and answers undefined for others', () => {
    const idx = createMemoryKeyIndex();
    const n = 200_000;
    for (let i = 0; i < n; i++) idx.add(`order:SO${i}`, i + 2);
    expect(idx.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(idx.lineOf(`order:SO${i}`)).toBe(i + 2);
    for (let i = n; i < n + 1000; i++) expect(idx.lineOf(`order:SO${i}`)).toBeUndefined();
    expect(idx.lineOf('customer:SO1')).toBeUndefined();
    idx.add('order:SO1', 99);
    expect(idx.size).toBe(n);
  });

  it('looks up and adds different keys in any order (no stale hash reused)', () => {
    const idx = createMemoryKeyIndex();
    expect(idx.lineOf('order:A')).toBeUndefined();
    idx.add('order:B', 5);
    expect([idx.lineOf('order:A'), idx.lineOf('order:B')]).toEqual([undefined, 5]);
    idx.add('order:A', 0);
    idx.add('order:A', 9);
    expect([idx.lineOf('order:A'), idx.lineOf('order:B'), idx.size]).toEqual([9, 5, 2]);
  });

  it('answers right when lookups of three keys interleave (the two hashed last are remembered)', () => {
    const idx = createMemoryKeyIndex();
    const keys = Array.from({ length: 50 }, (_, i) => `order:K${i}`);
    // each row: look up its key, a reference, an earlier key; then add it
    for (let i = 0; i < keys.length; i++) {
      expect(idx.lineOf(keys[i]!)).toBeUndefined();
      expect(idx.lineOf(`customer:C${i}`)).toBeUndefined();
      if (i > 0) expect(idx.lineOf(keys[i - 1]!)).toBe(i + 1);
      idx.add(keys[i]!, i + 2);
      expect(idx.lineOf(keys[i]!)).toBe(i + 2);
    }
    expect(keys.map((k) => idx.lineOf(k))).toEqual(keys.map((_, i) => i + 2));
    expect(idx.size).toBe(50);
  });

  it('knownKeysFromSet answers membership', () => {
    const k = knownKeysFromSet(['customer:C1']);
    expect([k.has('customer:C1'), k.has('customer:C2')]).toEqual([true, false]);
  });
});
