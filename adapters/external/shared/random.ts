/**
 * Helpers that turn the injected randomness source into the values providers
 * need (nonces, idempotency keys, jitter), so no adapter calls Math.random.
 */

/** Injected randomness: `n` cryptographically random bytes. */
export type RandomBytes = (n: number) => Uint8Array;

/** Lower-case hex of `bytes` random bytes. */
export function randomHex(random: RandomBytes, bytes: number): string {
  return Buffer.from(random(bytes)).toString('hex');
}

/** A float in [0, 1) from 4 random bytes. */
export function randomUnit(random: RandomBytes): number {
  const b = random(4);
  const n = (((b[0] ?? 0) << 24) >>> 0) + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0);
  return n / 2 ** 32;
}
