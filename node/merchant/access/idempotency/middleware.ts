/**
 * `Idempotency-Key` for POSTs under `/v1/` (issue 8 §5; after draft-ietf-httpapi-idempotency-key-header).
 * The key (1-255 characters of `[A-Za-z0-9_.:-]`) is scoped to the client. The first request claims the key and
 * runs; its response (status < 500) is stored with a SHA-256 of method, path and body. A retry with the same key
 * and body gets the stored response with `Idempotent-Replayed: true`; the same key with another request is
 * `idempotency-key-reused` (422); a retry while the first still runs is `idempotency-in-progress` (409, retry
 * later). A claim left by a crashed request is taken over after `abandonAfterMs`. Records are kept `retentionMs`
 * (at least 24 h) and then purged.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problem, sendProblem } from '../../../http/problem';
import type { MerchantEnv } from '../../contracts';
import type { IdempotencyRepository } from './repository';

/** Accepted keys. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;
/** Records are kept this long at least. */
export const MIN_IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;
/** Response headers stored and replayed. */
const KEPT_HEADERS = ['content-type', 'location'];

/** Options of {@link idempotency}. */
export interface IdempotencyDeps {
  repo: IdempotencyRepository;
  now: () => Date;
  /** Paths (under `/v1/`) that require the header; elsewhere it is optional. */
  requiredFor: (path: string) => boolean;
  /** An in-progress claim older than this is taken to be abandoned (default 60 s). */
  abandonAfterMs?: number;
}

/** The middleware; runs after authentication (needs `c.get('merchant')`), applies only to POST. */
export function idempotency(deps: IdempotencyDeps): MiddlewareHandler<MerchantEnv> {
  const abandonAfterMs = deps.abandonAfterMs ?? 60_000;
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const key = c.req.header('idempotency-key');
    if (key === undefined) {
      if (deps.requiredFor(c.req.path)) return sendProblem(c, problem('idempotency-key-required', `POST ${c.req.path} needs an Idempotency-Key header (a fresh UUID per operation)`));
      return next();
    }
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) return sendProblem(c, problem('idempotency-key-invalid', 'Idempotency-Key must be 1-255 characters of A-Z a-z 0-9 _ . : -'));
    const clientId = c.get('merchant').clientId;
    const body = await c.req.text();
    const hash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n`).update(body).digest('hex');

    let claimed = await deps.repo.claim(clientId, key, hash, deps.now());
    if (!claimed) {
      const rec = await deps.repo.get(clientId, key);
      if (!rec) claimed = await deps.repo.claim(clientId, key, hash, deps.now());
      else if (rec.requestHash !== hash) {
        return sendProblem(c, problem('idempotency-key-reused', 'this Idempotency-Key was used for a different request; use a new key for a new operation'));
      } else if (rec.state === 'done') {
        return c.body(rec.responseBody ?? '', rec.status as 200, { ...(rec.responseHeaders ?? {}), 'idempotent-replayed': 'true' });
      } else if (deps.now().getTime() - rec.createdAt.getTime() > abandonAfterMs) {
        claimed = await deps.repo.takeOver(clientId, key, rec.createdAt, deps.now());
      }
      if (!claimed) return sendProblem(c, problem('idempotency-in-progress', 'a request with this Idempotency-Key is still being processed; retry shortly'), { 'retry-after': '1' });
    }
    try {
      await next();
    } catch (err) {
      await deps.repo.release(clientId, key);
      throw err;
    }
    const res = c.res;
    if (res.status >= 500 || res.status === 429) {
      await deps.repo.release(clientId, key);
      return;
    }
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = res.headers.get(h);
      if (v !== null) headers[h] = v;
    }
    await deps.repo.complete(clientId, key, { status: res.status, headers, body: await res.clone().text() });
  };
}

/** Deletes idempotency records older than `retentionMs` (never less than 24 h); returns the count. */
export async function purgeIdempotency(repo: IdempotencyRepository, now: Date, retentionMs = MIN_IDEMPOTENCY_RETENTION_MS): Promise<number> {
  return repo.purge(new Date(now.getTime() - Math.max(retentionMs, MIN_IDEMPOTENCY_RETENTION_MS)));
}
