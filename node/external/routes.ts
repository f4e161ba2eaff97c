/**
 * `/admin/v1/external-scores/...`: fetch an external score for a subject under its consent, read and
 * re-verify stored provenance, list providers with their circuit breaker state (issue 6 §5, §7).
 * Failures are RFC 9457 problems with stable codes; the admin bearer token is checked here.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  toDecisionInput,
  verifyProvenance,
  type ExternalScoreErrorCode,
  type ExternalScoreService,
  type ExternalScoresConfig,
  type FetchScoreResult,
  type ProviderPublicKeys,
} from '../../adapters/external/index';
import { adminAuth } from '../http/admin/auth';
import { readJson } from '../http/body';
import { HttpProblem, problem, sendProblem, type ProblemCode } from '../http/problem';
import type { SubjectService } from '../subjects/service';
import { provenanceId, provenanceIdPattern, type DbProvenanceStore } from './store';
import { subjectIdentifiers } from './subject';

/** What the routes need. `service` is null when no provider is configured. */
export interface ExternalRoutesDeps {
  adminToken: string;
  service: ExternalScoreService | null;
  config: ExternalScoresConfig;
  publicKeys: Record<string, ProviderPublicKeys>;
  provenance: DbProvenanceStore;
  subjects: SubjectService | null;
  now: () => Date;
  /** Called after every fetch with the provider and the outcome code (`ok` or the failure code). */
  onFetched?: (provider: string, outcome: string, cached: boolean) => void;
}

/** `POST /admin/v1/external-scores/fetch` body. Identifiers besides `id` are used for this call only, never stored. */
export const fetchExternalScoreRequest = z.strictObject({
  provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a configured provider name'),
  subject: z.strictObject({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(100).optional(),
    alipayUserId: z.string().regex(/^2088\d{12}$/, 'a 16-digit Alipay user id starting 2088').optional(),
    alipayAuthToken: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/).optional(),
    wechatOpenid: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).optional(),
  }),
  bypassCache: z.boolean().default(false),
  /** Idempotency key: repeat a query within 24 h without being charged again (Alipay transaction_id). */
  requestId: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).optional(),
});

/** Failure code of the service -> problem code of the API (one table at the edge). */
const problemOf: Record<Exclude<ExternalScoreErrorCode, 'not_assessable'>, ProblemCode> = {
  consent_missing: 'consent-required',
  missing_identifier: 'external-identifier-missing',
  provider_business_error: 'provider-error',
  provider_auth_error: 'provider-auth-failed',
  request_rejected: 'provider-rejected-request',
  bad_signature: 'provider-bad-signature',
  invalid_response: 'provider-invalid-response',
  unavailable: 'provider-unavailable',
  unknown_provider: 'external-provider-not-found',
};

function notConfigured(): never {
  throw new HttpProblem(problem('external-scores-not-configured', 'no external score providers are configured: add an "externalScores" section to node.json (see docs/external-scores.md) and restart the node'));
}

/** Seconds a caller should wait before retrying an unavailable provider. */
function retryAfter(config: ExternalScoresConfig, provider: string, result: FetchScoreResult): number {
  const p = config.providers.find((x) => x.name === provider);
  if (!p) return 30;
  if (!result.ok && result.cause === 'circuit_open') return Math.max(1, Math.ceil(p.breaker.halfOpenAfterMs / 1000));
  return Math.max(1, Math.ceil(p.timeoutMs / 1000));
}

/** The external scores admin routes. */
export function externalScoreRoutes(deps: ExternalRoutesDeps): Hono {
  const app = new Hono();
  // Answer problems here too, so the routes behave the same mounted in the node or served alone (tests, demo).
  app.onError((err, c) => {
    if (err instanceof HttpProblem) return sendProblem(c, err.problem, err.headers);
    throw err;
  });
  app.use('/admin/v1/external-scores', adminAuth(deps.adminToken));
  app.use('/admin/v1/external-scores/*', adminAuth(deps.adminToken));

  app.get('/admin/v1/external-scores/providers', (c) => {
    const service = deps.service ?? notConfigured();
    const providers = deps.config.providers.map((p) => ({ name: p.name, type: p.type, breaker: service.breakerState(p.name) ?? 'closed', cacheTtlSeconds: p.cacheTtlSeconds, timeoutMs: p.timeoutMs }));
    return c.json({ providers });
  });

  app.post('/admin/v1/external-scores/fetch', async (c) => {
    const service = deps.service ?? notConfigured();
    const req = await readJson(c, fetchExternalScoreRequest);
    if (!deps.subjects) throw new HttpProblem(problem('not-joined', 'run consortium-node join, then restart the node'));
    const resolved = deps.subjects.pseudonymOf(req.subject.id);
    if (!resolved.ok) throw new HttpProblem(problem('subject-invalid', resolved.message));
    const pseudonym = resolved.pseudonym.value;
    const { id: _raw, ...extra } = req.subject;
    const subject = await subjectIdentifiers(deps.subjects, pseudonym, extra);
    const result = await service.fetchScore(req.provider, subject, { bypassCache: req.bypassCache, ...(req.requestId ? { requestId: req.requestId } : {}) });
    deps.onFetched?.(req.provider, result.ok ? 'ok' : result.code, result.cached);
    const provenance = result.provenance ? provenanceId(result.provenance) : null;
    if (result.ok || result.code === 'not_assessable') {
      return c.json({
        provider: req.provider,
        status: result.ok ? 'scored' : 'not-assessable',
        score: result.ok ? result.score : null,
        cached: result.cached,
        provenanceId: provenance,
        consentId: result.provenance?.consentId ?? null,
        decisionInput: toDecisionInput(req.provider, result),
      });
    }
    const extraMembers: Record<string, unknown> = { provider: req.provider, failure: result.code };
    if (result.code === 'consent_missing') extraMembers.purpose = `external-score:${req.provider}`;
    if (result.cause) extraMembers.cause = result.cause;
    if (result.providerCode) extraMembers.providerCode = result.providerCode;
    if (provenance) extraMembers.provenanceId = provenance;
    const headers = result.code === 'unavailable' ? { 'retry-after': String(retryAfter(deps.config, req.provider, result)) } : undefined;
    throw new HttpProblem(problem(problemOf[result.code], result.message, extraMembers), headers);
  });

  const stored = async (id: string) => {
    const row = provenanceIdPattern.test(id) ? await deps.provenance.get(id) : null;
    if (!row) throw new HttpProblem(problem('provenance-not-found', `no provenance record ${id}`));
    return row;
  };

  app.get('/admin/v1/external-scores/provenance/:id', async (c) => c.json(await stored(c.req.param('id'))));

  app.post('/admin/v1/external-scores/provenance/:id/verify', async (c) => {
    const row = await stored(c.req.param('id'));
    const keys = deps.publicKeys[row.provider];
    const verdict = !row.record
      ? { ok: false as const, code: 'malformed_record', message: 'the stored record is not a valid provenance record' }
      : !keys
        ? { ok: false as const, code: 'no_key', message: `provider ${row.provider} is no longer configured; add its public keys to node.json to verify` }
        : verifyProvenance(row.record, keys);
    return c.json({
      id: row.id,
      provider: row.provider,
      verified: verdict.ok,
      code: verdict.ok ? 'signature_verified' : verdict.code,
      message: verdict.ok ? 'the stored raw response verifies with the configured provider key' : verdict.message,
      verifiedAt: deps.now().toISOString(),
    });
  });
  return app;
}
