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

  it('knownKeysFromSet answers membership', () => {
    const k = knownKeysFromSet(['customer:C1']);
    expect([k.has('customer:C1'), k.has('customer:C2')]).toEqual([true, false]);
  });
});
