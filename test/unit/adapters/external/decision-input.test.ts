import { describe, expect, it } from 'vitest';
import { toDecisionInput, type ExternalScoreErrorCode } from '../../../../adapters/external/index';

describe('toDecisionInput', () => {
  it.each([
    ['unavailable', 'external_score_unavailable'],
    ['consent_missing', 'external_score_no_consent'],
    ['not_assessable', 'external_score_not_assessable'],
    ['bad_signature', 'external_score_rejected'],
    ['provider_auth_error', 'external_score_misconfigured'],
  ] as const)('%s -> reason %s, no score', (code, reason) => {
    const r = toDecisionInput('zhima', { ok: false, code: code as ExternalScoreErrorCode, message: 'm', cached: false });
    expect(r).toEqual({ provider: 'zhima', score: null, reason, code });
  });

  it('a success carries the normalized score', () => {
    const score = { provider: 'zhima', score: 700, scale: { min: 350, max: 950 }, eligible: null, asOf: '2026-03-01T00:00:00.000Z', reference: 'ZM1' };
    const provenance = {
      v: 1 as const, provider: 'zhima', kind: 'alipay-zhima' as const, operation: 'zhima.credit.score.get', consentId: 'c', subjectPseudonym: 'p',
      requestedAt: score.asOf, receivedAt: score.asOf, reference: 'ZM1', requestParams: {}, response: { status: 200, body: '{}', headers: {} },
      signature: { scheme: 'alipay-rsa2' as const, value: 'x', keyId: null },
    };
    expect(toDecisionInput('zhima', { ok: true, score, provenance, cached: true })).toEqual({ provider: 'zhima', score, reason: null, code: null });
  });
});
