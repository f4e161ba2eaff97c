/**
 * Per-client rate limits and daily quotas (issue 8 §7): a token bucket per client (sustained `ratePerSecond`,
 * up to `burst` at once) and a count of requests per UTC day against `dailyQuota`. Held in memory by the node
 * process: a restart refills the buckets and restarts the day's count.
 */

/** The limits of one client. */
export interface ClientLimits {
  id: string;
  ratePerSecond: number;
  burst: number;
  dailyQuota: number;
}

/** The verdict for one request. */
export type RateDecision =
  | { ok: true; remainingToday: number }
  | { ok: false; code: 'rate-limited' | 'quota-exceeded'; retryAfterSeconds: number; message: string };

/** The limiter. */
export interface RateLimiter {
  take(client: ClientLimits): RateDecision;
}

interface State {
  tokens: number;
  refilledAt: number;
  day: number;
  usedToday: number;
}

const DAY_MS = 86_400_000;

/** Builds a limiter reading the time from `now` (holds at most `maxClients` client states). */
export function createRateLimiter(deps: { now: () => Date; maxClients?: number }): RateLimiter {
  const states = new Map<string, State>();
  const maxClients = deps.maxClients ?? 100_000;
  return {
    take(client) {
      const t = deps.now().getTime();
      const day = Math.floor(t / DAY_MS);
      let s = states.get(client.id);
      if (!s) {
        if (states.size >= maxClients) states.delete(states.keys().next().value!);
        s = { tokens: client.burst, refilledAt: t, day, usedToday: 0 };
        states.set(client.id, s);
      }
      s.tokens = Math.min(client.burst, s.tokens + (Math.max(0, t - s.refilledAt) / 1000) * client.ratePerSecond);
      s.refilledAt = t;
      if (s.day !== day) {
        s.day = day;
        s.usedToday = 0;
      }
      if (s.usedToday >= client.dailyQuota) {
        return { ok: false, code: 'quota-exceeded', retryAfterSeconds: Math.max(1, Math.ceil(((day + 1) * DAY_MS - t) / 1000)), message: `the daily quota of ${client.dailyQuota} requests is used up; it resets at 00:00 UTC` };
      }
      if (s.tokens < 1) {
        return { ok: false, code: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((1 - s.tokens) / client.ratePerSecond)), message: `at most ${client.ratePerSecond} requests per second (bursts of ${client.burst})` };
      }
      s.tokens -= 1;
      s.usedToday += 1;
      return { ok: true, remainingToday: client.dailyQuota - s.usedToday };
    },
  };
}
