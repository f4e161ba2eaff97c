/**
 * Deterministic pseudo-random numbers for the synthetic consortium (no Math.random): sfc32 seeded
 * from a string/number seed via a 32-bit FNV-1a/murmur-style mix. Same seed, same sequence.
 */

/** A seeded random source. */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Standard normal variate (Box-Muller). */
  normal(): number;
  /** An independent generator derived from this one and a label. */
  fork(label: string): Prng;
}

function hash32(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Creates a generator from `seed`. */
export function createPrng(seed: string | number): Prng {
  const s = String(seed);
  let a = hash32(s, 1), b = hash32(s, 2), c = hash32(s, 3), d = hash32(s, 4);
  const next = () => {
    // sfc32 (Chris Doty-Humphrey's Small Fast Counting generator)
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const prng: Prng = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    fork: (label) => createPrng(`${s}/${label}`),
  };
  return prng;
}
