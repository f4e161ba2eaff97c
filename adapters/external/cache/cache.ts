/**
 * The result cache port (per subject + provider, configurable lifetime) and an
 * in-memory implementation. The node supplies a database-backed one with the
 * same contract.
 */
import type { ExternalScoreFailure, ExternalScoreSuccess } from '../provider';

/** Outcomes worth caching: verified successes and verified "not assessable" answers. */
export type CachedOutcome = ExternalScoreSuccess | (ExternalScoreFailure & { readonly code: 'not_assessable' });

/** One cache entry. */
export interface CacheEntry {
  readonly outcome: CachedOutcome;
  /** ISO-8601 time after which the entry must not be used. */
  readonly expiresAt: string;
}

/**
 * The cache port. Implementations must not return an entry whose `expiresAt`
 * is at or before the supplied `now`.
 */
export interface ScoreCache {
  get(provider: string, subjectPseudonym: string, now: Date): Promise<CacheEntry | undefined>;
  set(provider: string, subjectPseudonym: string, entry: CacheEntry): Promise<void>;
  /** Drop a subject's entries (e.g. on consent withdrawal); all providers when `provider` is omitted. */
  delete(subjectPseudonym: string, provider?: string): Promise<void>;
}

/** Maximum entries the in-memory cache keeps (oldest evicted first). */
export const MEMORY_CACHE_MAX_ENTRIES = 10_000;

/** In-memory cache for tests, the demo and single-process nodes. */
export function createMemoryScoreCache(maxEntries = MEMORY_CACHE_MAX_ENTRIES): ScoreCache {
  const entries = new Map<string, CacheEntry>();
  const key = (provider: string, subject: string): string => `${provider}\u0000${subject}`;
  return {
    async get(provider, subject, now) {
      const k = key(provider, subject);
      const e = entries.get(k);
      if (!e) return undefined;
      if (Date.parse(e.expiresAt) <= now.getTime()) {
        entries.delete(k);
        return undefined;
      }
      return e;
    },
    async set(provider, subject, entry) {
      const k = key(provider, subject);
      entries.delete(k);
      entries.set(k, entry);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    async delete(subject, provider) {
      for (const k of [...entries.keys()]) {
        const [p, s] = k.split('\u0000');
        if (s === subject && (provider === undefined || p === provider)) entries.delete(k);
      }
    },
  };
}
