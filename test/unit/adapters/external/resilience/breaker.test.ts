import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../../../../adapters/external/resilience/breaker';
import { backoffDelay, withTimeout } from '../../../../../adapters/external/resilience/retry';
import { testClock } from '../../../../fixtures/external/keys';

describe('circuit breaker', () => {
  it('opens after the threshold, lets one trial through when half-open', () => {
    const clock = testClock();
    const b = createCircuitBreaker({ failureThreshold: 2, halfOpenAfterMs: 1000, now: clock.now });
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state()).toBe('closed');
    b.onSuccess();
    b.onFailure();
    expect(b.state()).toBe('closed');
    b.onFailure();
    expect(b.state()).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(b.state()).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onSuccess();
    expect(b.state()).toBe('closed');
  });

  it.each([[0], [1.5], [-1]])('rejects threshold %s', (n) => {
    expect(() => createCircuitBreaker({ failureThreshold: n, halfOpenAfterMs: 1, now: () => new Date(0) })).toThrow(RangeError);
  });
});

describe('backoff and timeout', () => {
  it.each([
    [0, 0x00, 0],
    [0, 0xff, 99],
    [1, 0xff, 199],
    [5, 0xff, 299],
  ])('retry %i with random byte %i -> %i ms (full jitter, capped)', (retry, byte, want) => {
    const delay = backoffDelay({ maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 300 }, retry, (n) => new Uint8Array(n).fill(byte));
    expect(delay).toBe(want);
  });

  it('reports a timeout even when the call ignores its signal, and aborts it', async () => {
    let aborted = false;
    const r = await withTimeout(5, (ms, s) => new Promise((res) => { const t = setTimeout(res, ms); s?.addEventListener('abort', () => { clearTimeout(t); res(); }); }), (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise<number>(() => undefined);
    });
    expect(r).toEqual({ timedOut: true });
    expect(aborted).toBe(true);
  });

  it('returns the value when the call is first', async () => {
    expect(await withTimeout(1000, () => new Promise(() => undefined), async () => 42)).toEqual({ timedOut: false, value: 42 });
  });
});
