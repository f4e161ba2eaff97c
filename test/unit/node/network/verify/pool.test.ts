import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify, ready, type SignatureCheck } from '../../../../../protocol';
import { createSignatureVerifier, type SignatureVerifier } from '../../../../../node/network/verify/pool';

let checks: SignatureCheck[];
const pools: SignatureVerifier[] = [];

beforeAll(async () => {
  await ready();
  const a = ed25519KeyPairFromSeed(new Uint8Array(32).fill(7));
  const b = ed25519KeyPairFromSeed(new Uint8Array(32).fill(8));
  const msg = (i: number) => new TextEncoder().encode(`message ${i} ${'x'.repeat(i * 3)}`);
  checks = Array.from({ length: 300 }, (_, i) => {
    const message = msg(i);
    const signature = ed25519Sign(message, a.secretKey);
    switch (i % 6) {
      case 1: // signed by another key
        return { signature: ed25519Sign(message, b.secretKey), message, publicKey: a.publicKey };
      case 2: // another message
        return { signature, message: msg(i + 1), publicKey: a.publicKey };
      case 3: // truncated signature
        return { signature: signature.subarray(0, 63), message, publicKey: a.publicKey };
      case 4: // malformed key
        return { signature, message, publicKey: new Uint8Array(31) };
      default:
        return { signature, message, publicKey: a.publicKey };
    }
  });
});
afterAll(async () => {
  for (const p of pools) await p.close();
});

const expected = () => checks.map((c) => ed25519Verify(c.signature, c.message, c.publicKey));

describe('signature verifier pool', () => {
  it.each([[0], [1], [2]])('with %i worker threads agrees with ed25519Verify on every check', async (threads) => {
    const pool = createSignatureVerifier({ threads });
    pools.push(pool);
    const want = expected();
    expect(want.filter(Boolean).length).toBe(100);
    expect(await pool.verify(checks)).toEqual(want);
  });

  it('keeps concurrent batches apart and answers each in order', async () => {
    const pool = createSignatureVerifier({ threads: 2 });
    pools.push(pool);
    const batches = Array.from({ length: 12 }, (_, i) => checks.slice(i * 25, i * 25 + 25));
    const got = await Promise.all(batches.map((b) => pool.verify(b)));
    expect(got.flat()).toEqual(expected());
  });

  it('restarts its workers after close and after going idle', async () => {
    const pool = createSignatureVerifier({ threads: 1, idleMs: 10 });
    pools.push(pool);
    expect(await pool.verify(checks.slice(0, 6))).toEqual(expected().slice(0, 6));
    await new Promise((r) => setTimeout(r, 50));
    expect(await pool.verify(checks.slice(6, 12))).toEqual(expected().slice(6, 12));
    await pool.close();
    expect(await pool.verify(checks.slice(12, 18))).toEqual(expected().slice(12, 18));
  });

  it('answers an empty or all-malformed batch without a worker', async () => {
    const pool = createSignatureVerifier({ threads: 1 });
    pools.push(pool);
    expect(await pool.verify([])).toEqual([]);
    expect(await pool.verify([checks[3]!, checks[4]!])).toEqual([false, false]);
  });

  it.each([[-1], [1.5], [17]])('refuses %s threads', (threads) => {
    expect(() => createSignatureVerifier({ threads })).toThrow(RangeError);
  });
});
