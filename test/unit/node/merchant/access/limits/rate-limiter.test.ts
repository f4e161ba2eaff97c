import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../../../../node/merchant/access/limits/rate-limiter';

describe('per-client token bucket and daily quota', () => {
  const client = { id: 'mch_a', ratePerSecond: 2, burst: 3, dailyQuota: 8 };

  it('allows a burst, then refills at the sustained rate, per client', () => {
    let t = Date.parse('2026-11-23T10:00:00Z');
    const limiter = createRateLimiter({ now: () => new Date(t) });
    expect([1, 2, 3].map(() => limiter.take(client).ok)).toEqual([true, true, true]);
    const refused = limiter.take(client);
    expect(refused).toEqual({ ok: false, code: 'rate-limited', retryAfterSeconds: 1, message: expect.stringContaining('2 requests per second') });
    expect(limiter.take({ ...client, id: 'mch_b' }).ok).toBe(true);
    t += 500; // one token back
    expect(limiter.take(client).ok).toBe(true);
    expect(limiter.take(client).ok).toBe(false);
  });

  it('stops at the daily quota until the next UTC day', () => {
    let t = Date.parse('2026-11-23T23:00:00Z');
    const limiter = createRateLimiter({ now: () => new Date(t) });
    let ok = 0;
    for (let i = 0; i < 20; i++) {
      t += 1000;
      if (limiter.take(client).ok) ok++;
    }
    expect(ok).toBe(8);
    const r = limiter.take(client);
    expect(r).toMatchObject({ ok: false, code: 'quota-exceeded' });
    expect(r.ok === false && r.retryAfterSeconds).toBe(3600 - 20);
    t = Date.parse('2026-11-24T00:00:01Z');
    expect(limiter.take(client)).toEqual({ ok: true, remainingToday: 7 });
  });
});
