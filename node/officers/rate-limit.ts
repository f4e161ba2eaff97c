/**
 * Sign-in throttling (issue 9, "wrong passwords rate-limited"): failures are counted per username and per
 * client address in a sliding window. Once either count reaches its limit, sign-in attempts for that key are
 * refused without checking the password until the oldest failure leaves the window. Unknown usernames are
 * counted exactly like known ones, so the answers do not reveal which accounts exist.
 *
 * Counts live in memory (bounded; the oldest keys are dropped first): a restart clears them, which costs an
 * attacker a restart of the node per window, not a bypass.
 */

/** Limits for {@link createLoginLimiter}. */
export interface LoginLimits {
  /** Failures per username within the window before sign-in for that name is paused. */
  perUsername: number;
  /** Failures per client address within the window before sign-in from it is paused. */
  perAddress: number;
  windowMs: number;
  /** Most keys tracked at once. */
  maxKeys: number;
}

/** Defaults: 5 failures per username and 20 per address in 15 minutes. */
export const defaultLoginLimits: LoginLimits = { perUsername: 5, perAddress: 20, windowMs: 15 * 60_000, maxKeys: 10_000 };

/** Throttles sign-in by username and by client address. */
export interface LoginLimiter {
  /** Milliseconds until an attempt is allowed again for this pair (0 = allowed now). */
  retryAfterMs(username: string, address: string): number;
  /** Records a failed attempt. */
  fail(username: string, address: string): void;
  /** Clears the username's failures after a successful sign-in (the address keeps its count). */
  succeed(username: string): void;
}

/** Builds a {@link LoginLimiter}; `now` is the clock (milliseconds). */
export function createLoginLimiter(deps: { now: () => Date; limits?: Partial<LoginLimits> }): LoginLimiter {
  const limits = { ...defaultLoginLimits, ...deps.limits };
  const failures = new Map<string, number[]>();
  const t = () => deps.now().getTime();

  const recent = (key: string, at: number): number[] => {
    const list = (failures.get(key) ?? []).filter((x) => at - x < limits.windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  const wait = (key: string, limit: number, at: number): number => {
    const list = recent(key, at);
    if (list.length < limit) return 0;
    return list[list.length - limit]! + limits.windowMs - at;
  };
  return {
    retryAfterMs(username, address) {
      const at = t();
      return Math.max(wait(`u:${username}`, limits.perUsername, at), wait(`a:${address}`, limits.perAddress, at));
    },
    fail(username, address) {
      const at = t();
      for (const key of [`u:${username}`, `a:${address}`]) {
        const list = recent(key, at);
        list.push(at);
        // Only the newest `limit` failures matter; keep the list bounded.
        failures.delete(key);
        failures.set(key, list.slice(-Math.max(limits.perUsername, limits.perAddress)));
      }
      while (failures.size > limits.maxKeys) failures.delete(failures.keys().next().value!);
    },
    succeed(username) {
      failures.delete(`u:${username}`);
    },
  };
}
