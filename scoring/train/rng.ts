/** Seeded pseudo-random numbers for deterministic training splits (mulberry32; not for cryptography). */

/** A generator of uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Indices 0..n-1 in a seeded Fisher-Yates order. */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  const rnd = mulberry32(seed);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
  return idx;
}

/** Split `n` rows into train and hold-out index sets, deterministically from `seed`. */
export function seededSplit(n: number, holdoutFraction: number, seed: number): { train: Uint32Array; holdout: Uint32Array } {
  if (!(holdoutFraction > 0 && holdoutFraction < 1)) throw new RangeError('holdoutFraction must be in (0, 1)');
  const idx = shuffledIndices(n, seed);
  const h = Math.round(n * holdoutFraction);
  return { holdout: idx.slice(0, h).sort(), train: idx.slice(h).sort() };
}
