/**
 * The external score service: consent gate, cache, per-call timeout, bounded
 * retries (only for retry-safe providers), a circuit breaker per provider,
 * and provenance storage around the provider adapters (issue 6 §5, §6).
 */
import type { CachedOutcome, ScoreCache } from './cache/cache';
import {
  failure,
  type ExternalScoreFailure,
  type ExternalScoreSuccess,
  type ProbeResult,
  type ProvenanceRecord,
  type ProviderOutcome,
  type ScoreProvider,
  type SubjectIdentifiers,
} from './provider';
import { createCircuitBreaker, type BreakerState, type CircuitBreaker } from './resilience/breaker';
import { backoffDelay, withTimeout, type RetryOptions, type Sleep } from './resilience/retry';
import { randomHex, type RandomBytes } from './shared/random';

/** Consent purpose for querying `provider` (architecture §6). */
export const consentPurpose = (provider: string): string => `external-score:${provider}`;

/** Answer of the node's consent registry. */
export type ConsentCheckResult = { readonly ok: true; readonly consentId: string } | { readonly ok: false; readonly reason: string };

/** Looks up an active consent for the subject and purpose. */
export type ConsentCheck = (subjectPseudonym: string, purpose: string) => Promise<ConsentCheckResult>;

/** Where verified answers are kept for compliance (the node supplies a DB-backed one). */
export interface ProvenanceStore {
  save(record: ProvenanceRecord): Promise<void>;
}

/** Resilience and caching settings of one provider. */
export interface ProviderPolicy {
  readonly timeoutMs: number;
  readonly cacheTtlSeconds: number;
  readonly retry: RetryOptions;
  readonly breaker: { readonly failureThreshold: number; readonly halfOpenAfterMs: number };
}

/** A provider with its policy, as built by `createProviders`. */
export interface ProviderEntry {
  readonly provider: ScoreProvider;
  readonly policy: ProviderPolicy;
}

/** Dependencies of the service. */
export interface ExternalScoreServiceDeps {
  readonly providers: readonly ProviderEntry[];
  readonly checkConsent: ConsentCheck;
  readonly cache: ScoreCache;
  readonly provenanceStore: ProvenanceStore;
  readonly now: () => Date;
  readonly random: RandomBytes;
  readonly sleep: Sleep;
}

/** A fetch result; `cached` tells whether it came from the cache. */
export type FetchScoreResult = (ExternalScoreSuccess | ExternalScoreFailure) & { readonly cached: boolean };

/** Options of one fetch. */
export interface FetchScoreOptions {
  /** Idempotency key (Alipay transaction_id); reuse it to retry a query safely within 24 h. */
  readonly requestId?: string;
  /** Skip the cache look-up (the fresh answer is still cached). */
  readonly bypassCache?: boolean;
}

/** The service API. */
export interface ExternalScoreService {
  fetchScore(provider: string, subject: SubjectIdentifiers, opts?: FetchScoreOptions): Promise<FetchScoreResult>;
  /** Check a provider's configuration against it (CLI `providers test NAME`). No subject, no consent. */
  testProvider(provider: string): Promise<ProbeResult>;
  breakerState(provider: string): BreakerState | undefined;
  providerNames(): string[];
}

function strip(o: ProviderOutcome, cached: boolean): FetchScoreResult {
  if (o.ok) return { ...o, cached };
  const { retryable: _r, ...rest } = o;
  return { ...rest, cached };
}

/** The cacheable form of an outcome: verified successes and verified N/A answers only. */
function toCacheable(o: ProviderOutcome): CachedOutcome | null {
  if (o.ok) return o;
  if (o.code !== 'not_assessable' || !o.provenance) return null;
  const { retryable: _r, ...rest } = o;
  return { ...rest, code: 'not_assessable' };
}

/** Create the service. */
export function createExternalScoreService(deps: ExternalScoreServiceDeps): ExternalScoreService {
  const entries = new Map<string, ProviderEntry & { breaker: CircuitBreaker }>();
  for (const e of deps.providers) {
    if (entries.has(e.provider.name)) throw new Error(`duplicate provider name ${e.provider.name}`);
    entries.set(e.provider.name, { ...e, breaker: createCircuitBreaker({ ...e.policy.breaker, now: deps.now }) });
  }

  async function attempt(e: ProviderEntry & { breaker: CircuitBreaker }, run: (s: AbortSignal) => Promise<ProviderOutcome>): Promise<ProviderOutcome & { retryable?: boolean }> {
    try {
      const r = await withTimeout(e.policy.timeoutMs, deps.sleep, run);
      if (r.timedOut) return failure('unavailable', `no answer within ${e.policy.timeoutMs} ms`, { cause: 'timeout', retryable: true });
      return r.value;
    } catch {
      return failure('unavailable', 'network error', { cause: 'network', retryable: true });
    }
  }

  return {
    providerNames: () => [...entries.keys()],
    breakerState: (name) => entries.get(name)?.breaker.state(),

    async fetchScore(name, subject, opts = {}) {
      const e = entries.get(name);
      if (!e) return { ...failure('unknown_provider', `no provider named ${name}`), cached: false };
      if (typeof subject.pseudonym !== 'string' || subject.pseudonym.length === 0 || subject.pseudonym.length > 200) {
        return { ...failure('missing_identifier', 'subject pseudonym is required'), cached: false };
      }
      const consent = await deps.checkConsent(subject.pseudonym, consentPurpose(name));
      if (!consent.ok) {
        return { ...failure('consent_missing', `no active consent for ${consentPurpose(name)}: ${consent.reason}`), cached: false };
      }
      if (!opts.bypassCache) {
        const hit = await deps.cache.get(name, subject.pseudonym, deps.now());
        if (hit) return { ...hit.outcome, cached: true };
      }
      const request = { subject, consentId: consent.consentId, requestId: opts.requestId ?? randomHex(deps.random, 16) };
      const maxAttempts = e.provider.retrySafe ? Math.max(1, e.policy.retry.maxAttempts) : 1;
      let outcome: ProviderOutcome & { retryable?: boolean } = failure('unavailable', 'circuit open', { cause: 'circuit_open' });
      for (let i = 0; i < maxAttempts; i++) {
        if (!e.breaker.tryAcquire()) {
          if (i === 0) outcome = failure('unavailable', `provider ${name} circuit is open`, { cause: 'circuit_open' });
          break;
        }
        outcome = await attempt(e, (signal) => e.provider.fetchScore(request, signal));
        if (!outcome.ok && outcome.code === 'unavailable') e.breaker.onFailure();
        else e.breaker.onSuccess();
        if (outcome.ok || !outcome.retryable || i === maxAttempts - 1) break;
        await deps.sleep(backoffDelay(e.policy.retry, i, deps.random));
      }
      if (outcome.provenance) await deps.provenanceStore.save(outcome.provenance);
      const cacheable = toCacheable(outcome);
      if (cacheable && e.policy.cacheTtlSeconds > 0) {
        const expiresAt = new Date(deps.now().getTime() + e.policy.cacheTtlSeconds * 1000).toISOString();
        await deps.cache.set(name, subject.pseudonym, { outcome: cacheable, expiresAt });
      }
      return strip(outcome, false);
    },

    async testProvider(name) {
      const e = entries.get(name);
      if (!e) return { ok: false, code: 'unknown_provider', message: `no provider named ${name}` };
      try {
        const r = await withTimeout(e.policy.timeoutMs, deps.sleep, (s) => e.provider.probe(s));
        return r.timedOut ? { ok: false, code: 'timeout', message: `no answer within ${e.policy.timeoutMs} ms` } : r.value;
      } catch (err) {
        return { ok: false, code: 'unreachable', message: err instanceof Error ? err.message : 'network error' };
      }
    },
  };
}
