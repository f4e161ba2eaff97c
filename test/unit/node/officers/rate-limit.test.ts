import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from '../../../../node/officers/rate-limit';

describe('sign-in limiter', () => {
  it('pauses a username after its limit of failures and releases it when the window passes', () => {
    let t = 0;
    const l = createLoginLimiter({ now: () => new Date(t), limits: { perUsername: 3, perAddress: 100, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterMs('alice', `10.0.0.${i}`)).toBe(0);
      l.fail('alice', `10.0.0.${i}`);
      t += 1000;
    }
    expect(l.retryAfterMs('alice', '10.0.0.9')).toBe(60_000 - 3000);
    expect(l.retryAfterMs('bob', '10.0.0.9')).toBe(0);
    t = 60_000;
    expect(l.retryAfterMs('alice', '10.0.0.9')).toBe(0);
  });

  it('pauses an address that tries many usernames', () => {
    const l = createLoginLimiter({ now: () => new Date(0), limits: { perUsername: 100, perAddress: 4, windowMs: 60_000 } });
    for (const u of ['a', 'b', 'c', 'd']) l.fail(u, '192.0.2.1');
    expect(l.retryAfterMs('e', '192.0.2.1')).toBeGreaterThan(0);
    expect(l.retryAfterMs('e', '192.0.2.2')).toBe(0);
  });

  it('clears a username after a success but keeps counting its address', () => {
    const l = createLoginLimiter({ now: () => new Date(0), limits: { perUsername: 2, perAddress: 3, windowMs: 60_000 } });
    l.fail('alice', 'x');
    l.fail('alice', 'x');
    expect(l.retryAfterMs('alice', 'y')).toBeGreaterThan(0);
    l.succeed('alice');
    expect(l.retryAfterMs('alice', 'y')).toBe(0);
    l.fail('carol', 'x');
    expect(l.retryAfterMs('dave', 'x')).toBeGreaterThan(0);
  });

  it('stays bounded in the number of keys it tracks', () => {
    const l = createLoginLimiter({ now: () => new Date(0), limits: { perUsername: 1, perAddress: 1000, windowMs: 60_000, maxKeys: 10 } });
    for (let i = 0; i < 50; i++) l.fail(`u${i}`, 'z');
    // The oldest usernames were dropped, the newest is still paused.
    expect(l.retryAfterMs('u0', 'w')).toBe(0);
    expect(l.retryAfterMs('u49', 'w')).toBeGreaterThan(0);
  });

  it('counts an attempt when it starts (concurrent guesses cannot pass together) and takes it back on success', () => {
    const l = createLoginLimiter({ now: () => new Date(0), limits: { perUsername: 3, perAddress: 4, windowMs: 60_000 } });
    // Five attempts start before any finishes: only the first three are let through.
    expect([1, 2, 3, 4, 5].map(() => l.acquire('alice', 'x'))).toEqual([0, 0, 0, 60_000, 60_000]);
    expect(l.retryAfterMs('alice', 'y')).toBe(60_000);
    // One of them succeeds: the username is cleared and the address gets that attempt back (2 of 4 used).
    l.succeed('alice', 'x');
    expect(l.acquire('bob', 'x')).toBe(0);
    expect(l.acquire('carol', 'x')).toBe(0);
    expect(l.acquire('dave', 'x')).toBe(60_000);
  });
});
