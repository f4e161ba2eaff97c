/**
 * A generic adapter for credit bureaus with a plain JSON API, driven by a
 * validated mapping (URL, auth header or mutual TLS, JSON paths for the score,
 * scale, reference and eligibility). Bureau answers are unsigned: provenance
 * keeps the raw body but `verifyProvenance` reports them as `unsigned`.
 */
import { failure, type ProbeResult, type ProvenanceRecord, type ProviderOutcome, type ProviderRequest, type ScoreProvider } from '../provider';
import type { HttpRequest, HttpTransport } from '../shared/http';
import { parseJsonPath, readJsonPath } from './json-path';
import type { BureauMapping } from './mapping';

/** Dependencies of a bureau adapter. */
export interface BureauDeps {
  readonly transport: HttpTransport;
  readonly now: () => Date;
}

function buildRequest(m: BureauMapping, values: Record<string, string>, signal: AbortSignal): HttpRequest {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (m.auth.type === 'header') headers[m.auth.name.toLowerCase()] = m.auth.value;
  const tls = m.auth.type === 'mtls' ? { cert: m.auth.cert, key: m.auth.key, ...(m.auth.ca ? { ca: m.auth.ca } : {}) } : undefined;
  if (m.method === 'GET') {
    const url = new URL(m.url);
    for (const [k, v] of Object.entries(values)) url.searchParams.set(k, v);
    return { method: 'GET', url: url.toString(), headers, signal, ...(tls ? { tls } : {}) };
  }
  headers['content-type'] = 'application/json';
  return { method: 'POST', url: m.url, headers, body: JSON.stringify(values), signal, ...(tls ? { tls } : {}) };
}

function toEligible(v: unknown): boolean | null | 'bad' {
  if (v === undefined || v === null) return null;
  if (v === true || v === 'Y' || v === 'true') return true;
  if (v === false || v === 'N' || v === 'false') return false;
  return 'bad';
}

/** Create a bureau provider from a validated mapping. */
export function createBureauProvider(name: string, mapping: BureauMapping, deps: BureauDeps): ScoreProvider {
  const paths = {
    score: parseJsonPath(mapping.response.score),
    reference: parseJsonPath(mapping.response.reference),
    eligible: mapping.response.eligible ? parseJsonPath(mapping.response.eligible) : null,
    asOf: mapping.response.asOf ? parseJsonPath(mapping.response.asOf) : null,
  };
  return {
    name,
    kind: 'bureau',
    retrySafe: mapping.retrySafe || mapping.method === 'GET',
    async fetchScore(req: ProviderRequest, signal): Promise<ProviderOutcome> {
      const values: Record<string, string> = { ...mapping.request.constants };
      const redacted: Record<string, string> = { ...mapping.request.constants };
      for (const [param, field] of Object.entries(mapping.request.fields)) {
        const v = req.subject[field];
        if (!v) return failure('missing_identifier', `bureau ${name} needs the subject's ${field}`);
        values[param] = v;
        redacted[param] = '[redacted]';
      }
      const requestedAt = deps.now();
      const res = await deps.transport(buildRequest(mapping, values, signal));
      const receivedAt = deps.now();
      if (res.status >= 500 || res.status === 429) {
        return failure('unavailable', `bureau HTTP ${res.status}`, { cause: 'http_status', retryable: true });
      }
      if (res.status === 401 || res.status === 403) return failure('provider_auth_error', `bureau HTTP ${res.status}`);
      if (res.status < 200 || res.status >= 300) return failure('request_rejected', `bureau HTTP ${res.status}`);
      let json: unknown;
      try {
        json = JSON.parse(res.body);
      } catch {
        return failure('invalid_response', 'bureau response is not JSON');
      }
      const refRaw = readJsonPath(json, paths.reference);
      const reference = typeof refRaw === 'string' || typeof refRaw === 'number' ? String(refRaw) : null;
      const provenance: ProvenanceRecord = {
        v: 1,
        provider: name,
        kind: 'bureau',
        operation: `${mapping.method} ${new URL(mapping.url).pathname}`,
        consentId: req.consentId,
        subjectPseudonym: req.subject.pseudonym,
        requestedAt: requestedAt.toISOString(),
        receivedAt: receivedAt.toISOString(),
        reference,
        requestParams: redacted,
        response: { status: res.status, body: res.body, headers: res.headers['content-type'] ? { 'content-type': res.headers['content-type'] } : {} },
        signature: { scheme: 'none', value: null, keyId: null },
      };
      const rawScore = readJsonPath(json, paths.score);
      if (rawScore === undefined || rawScore === null || (typeof rawScore === 'string' && mapping.response.notAssessable.includes(rawScore))) {
        return failure('not_assessable', `bureau ${name} cannot assess this subject`, { provenance });
      }
      const score = typeof rawScore === 'number' ? rawScore : typeof rawScore === 'string' && /^-?\d+(\.\d+)?$/.test(rawScore) ? Number(rawScore) : NaN;
      const { min, max } = mapping.response.scale;
      if (!(score >= min && score <= max)) return failure('invalid_response', `bureau score is not a number in ${min}..${max}`);
      const eligible = paths.eligible ? toEligible(readJsonPath(json, paths.eligible)) : null;
      if (eligible === 'bad') return failure('invalid_response', 'bureau eligibility flag is not boolean or Y/N');
      const asOfRaw = paths.asOf ? readJsonPath(json, paths.asOf) : undefined;
      const asOf = typeof asOfRaw === 'string' && !Number.isNaN(Date.parse(asOfRaw)) ? new Date(asOfRaw).toISOString() : receivedAt.toISOString();
      return { ok: true, score: { provider: name, score, scale: { min, max }, eligible, asOf, reference }, provenance };
    },
    async probe(signal): Promise<ProbeResult> {
      const res = await deps.transport({ ...buildRequest(mapping, { ...mapping.request.constants }, signal) });
      if (res.status >= 500) return { ok: false, code: 'unreachable', message: `bureau HTTP ${res.status}` };
      if (res.status === 401 || res.status === 403) return { ok: false, code: 'credentials_rejected', message: `bureau HTTP ${res.status}: check the auth header or client certificate` };
      return { ok: true, code: 'reachable', message: `bureau answered HTTP ${res.status} to a request without subject fields` };
    },
  };
}
