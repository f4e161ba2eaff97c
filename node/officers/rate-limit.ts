/**
 * Sign-in throttling (issue 9, "wrong passwords rate-limited"): failures are counted per username and per
 * client address in a sliding window. Once either count reaches its limit, sign-in attempts for that key are
 * refused without checking the password until the oldest failure leaves the window. Unknown usernames are
 * counted exactly like known ones, so the answers do not reveal which accounts exist.
 *
 * An attempt is counted when it starts ({@link LoginLimiter.acquire}), before the slow password check, and
 * taken back when it succeeds: so many concurrent guesses cannot all pass the check before any failure is counted.
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
  /**
   * Starts an attempt: when allowed (returns 0) it is counted as a failure right away, until {@link succeed};
   * otherwise returns the milliseconds to wait and counts nothing.
   */
  acquire(username: string, address: string): number;
  /**
   * Clears the username's failures after a successful sign-in and takes back the address's count of that
   * attempt (the address keeps its other failures).
   */
  succeed(username: string, address?: string): void;
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
  const retryAfterMs = (username: string, address: string, at: number) =>
    Math.max(wait(`u:${username}`, limits.perUsername, at), wait(`a:${address}`, limits.perAddress, at));
  const fail = (username: string, address: string, at: number) => {
    for (const key of [`u:${username}`, `a:${address}`]) {
      const list = recent(key, at);
      list.push(at);
      // Only the newest `limit` failures matter; keep the list bounded.
      failures.delete(key);
      failures.set(key, list.slice(-Math.max(limits.perUsername, limits.perAddress)));
    }
    while (failures.size > limits.maxKeys) failures.delete(failures.keys().next().value!);
  };
  return {
    retryAfterMs: (username, address) => retryAfterMs(username, address, t()),
    fail: (username, address) => fail(username, address, t()),
    acquire(username, address) {
      const at = t();
      const w = retryAfterMs(username, address, at);
      if (w === 0) fail(username, address, at);
      return w;
    },
    succeed(username, address) {
      failures.delete(`u:${username}`);
      if (address === undefined) return;
      const list = failures.get(`a:${address}`);
      list?.pop();
      if (list?.length === 0) failures.delete(`a:${address}`);
    },
  };
}
