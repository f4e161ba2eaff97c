import { describe, expect, it } from 'vitest';
import { createTileCache } from '../../../../../node/network/http/tile-cache';

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('createTileCache (byte-bounded LRU)', () => {
  it('returns what was stored and counts bytes and bodies', () => {
    const c = createTileCache(100);
    c.set('a', bytes(10, 7));
    expect(c.get('a')).toEqual(bytes(10, 7));
    expect(c.get('b')).toBeUndefined();
    expect([c.bytes, c.size]).toEqual([10, 1]);
  });

  it('evicts the least recently used bodies once over budget (a hit refreshes recency)', () => {
    const c = createTileCache(30);
    c.set('a', bytes(10));
    c.set('b', bytes(10));
    c.set('c', bytes(10));
    expect(c.get('a')).toBeDefined(); // a is now the most recent; b is the oldest
    c.set('d', bytes(10));
    expect(['a', 'b', 'c', 'd'].map((k) => c.get(k) !== undefined)).toEqual([true, false, true, true]);
    expect(c.bytes).toBe(30);
  });

  it('replaces a key without double counting and never keeps a body larger than the budget', () => {
    const c = createTileCache(25);
    c.set('a', bytes(10));
    c.set('a', bytes(20, 2));
    expect([c.bytes, c.size]).toEqual([20, 1]);
    expect(c.get('a')).toEqual(bytes(20, 2));
    c.set('big', bytes(26));
    expect(c.get('big')).toBeUndefined();
    expect(c.bytes).toBeLessThanOrEqual(25);
  });

  it.each([-1, 1.5, Number.NaN])('rejects the budget %s', (n) => {
    expect(() => createTileCache(n)).toThrow(RangeError);
  });
});
