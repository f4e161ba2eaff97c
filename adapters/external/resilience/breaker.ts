/**
 * A per-provider circuit breaker (closed -> open -> half-open -> closed) on an
 * injected clock. Written here rather than taken from cockatiel because
 * cockatiel's breaker reads `Date.now()` directly and cannot take a clock.
 */

/** Breaker states. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Breaker settings. */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  readonly halfOpenAfterMs: number;
  readonly now: () => Date;
}

/** A circuit breaker instance. */
export interface CircuitBreaker {
  /** Current state (open turns into half-open once the wait has passed). */
  state(): BreakerState;
  /** Ask to make a call; false means fail fast. In half-open only one trial is in flight. */
  tryAcquire(): boolean;
  /** Report the outcome of an acquired call. */
  onSuccess(): void;
  onFailure(): void;
}

/** Create a breaker. */
export function createCircuitBreaker(opts: BreakerOptions): CircuitBreaker {
  if (!Number.isInteger(opts.failureThreshold) || opts.failureThreshold < 1) {
    throw new RangeError('failureThreshold must be an integer >= 1');
  }
  if (!(opts.halfOpenAfterMs >= 0)) throw new RangeError('halfOpenAfterMs must be >= 0');
  let failures = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;

  const state = (): BreakerState => {
    if (openedAt === null) return 'closed';
    return opts.now().getTime() - openedAt >= opts.halfOpenAfterMs ? 'half-open' : 'open';
  };

  return {
    state,
    tryAcquire() {
      const s = state();
      if (s === 'closed') return true;
      if (s === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    onSuccess() {
      failures = 0;
      openedAt = null;
      trialInFlight = false;
    },
    onFailure() {
      if (openedAt !== null) {
        // A failed half-open trial re-opens the circuit for another full wait.
        openedAt = opts.now().getTime();
        trialInFlight = false;
        return;
      }
      failures += 1;
      if (failures >= opts.failureThreshold) openedAt = opts.now().getTime();
    },
  };
}
