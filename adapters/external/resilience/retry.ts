/**
 * Timeout and bounded retry with exponential backoff and full jitter
 * (delay = random * min(maxDelay, base * 2^attempt)), on injected timers and
 * randomness so tests are deterministic.
 */
import { randomUnit, type RandomBytes } from '../shared/random';

/** Sleeps `ms`; resolves early (without error) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real sleep the node passes in. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = (): void => {
      clearTimeout(t);
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
  });

/** Retry settings. */
export interface RetryOptions {
  /** Total attempts including the first (1 = no retry). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Backoff before retry number `retry` (0-based): full jitter. */
export function backoffDelay(opts: RetryOptions, retry: number, random: RandomBytes): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry);
  return Math.floor(randomUnit(random) * cap);
}

/** Outcome of running `fn` under a timeout. */
export type TimedResult<T> = { readonly timedOut: false; readonly value: T } | { readonly timedOut: true };

/**
 * Run `fn` with an AbortSignal that fires after `timeoutMs`. Resolves
 * `{timedOut:true}` even if `fn` ignores the signal; rejects if `fn` throws first.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  sleep: Sleep,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<TimedResult<T>> {
  const call = new AbortController();
  const timer = new AbortController();
  const timeout = sleep(timeoutMs, timer.signal).then(() => ({ timedOut: true }) as const);
  try {
    const run = fn(call.signal).then((value) => ({ timedOut: false, value }) as const);
    const first = await Promise.race([run, timeout]);
    if (first.timedOut) {
      call.abort(new Error('timeout'));
      run.catch(() => undefined);
    }
    return first;
  } finally {
    timer.abort();
  }
}
