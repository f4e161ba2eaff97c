import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalScoresModule } from '../../../../node/external/module';
import { externalScoreCache, externalScoreProvenance } from '../../../../node/store/schema';
import { caller, sharedFixture, RID } from './support';

const PHONE = '+86 139 1234 5678';

/** Consent gate, DB cache, provenance and problem codes of the module, on the file's shared fixture. */
export function describeModuleCases() {
describe('external scores module: consent gate, DB cache, provenance, routes', () => {
  let fx: Awaited<ReturnType<typeof sharedFixture>>;
  let mod: ExternalScoresModule;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    fx = await sharedFixture();
    mod = await fx.build();
    call = caller(mod);
  });
  afterAll(async () => {
    await mod.close();
  });

  const fetchScore = (provider: string, subject: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    call('POST', '/admin/v1/external-scores/fetch', { provider, subject, ...extra });

  it('requires the admin token on every route', async () => {
    for (const [method, path] of [
      ['GET', '/admin/v1/external-scores/providers'],
      ['POST', '/admin/v1/external-scores/fetch'],
      ['GET', `/admin/v1/external-scores/provenance/exp_${'0'.repeat(32)}`],
    ] as const) {
      const res = await call(method, path, undefined, false);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('makes no provider call without consent, then fetches, caches in the database and serves the cache', async () => {
    const before = fx.calls.length;
    const denied = await fetchScore('zhima', { id: RID, alipayAuthToken: 'tok_alice' });
    expect(denied.status).toBe(409);
    expect(await denied.json()).toMatchObject({ code: 'consent-required', purpose: 'external-score:zhima', failure: 'consent_missing' });
    expect(fx.calls.length).toBe(before);

    const consent = await fx.grant('zhima');
    const ok = await fetchScore('zhima', { id: RID, alipayAuthToken: 'tok_alice' });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { status: string; score: { score: number; scale: unknown; reference: string }; cached: boolean; provenanceId: string; consentId: string; decisionInput: { reason: null } };
    expect(body).toMatchObject({ status: 'scored', cached: false, consentId: consent.id, decisionInput: { reason: null } });
    expect(body.score.score).toBeGreaterThanOrEqual(350);
    expect(body.score.score).toBeLessThanOrEqual(950);
    expect(body.score.reference).toMatch(/^ZM/);
    expect(body.provenanceId).toMatch(/^exp_[0-9a-f]{32}$/);
    expect(fx.calls.length).toBe(before + 1);

    const rows = await fx.db.select().from(externalScoreCache).where(eq(externalScoreCache.provider, 'zhima'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).toBe(consent.record.subject.value);
    expect(rows[0]!.expiresAt.toISOString()).toBe(new Date(fx.time.now().getTime() + 86_400_000).toISOString());

    const again = (await (await fetchScore('zhima', { id: RID, alipayAuthToken: 'tok_alice' })).json()) as typeof body;
    expect(again).toMatchObject({ cached: true, provenanceId: body.provenanceId, score: body.score });
    expect(fx.calls.length).toBe(before + 1);

    const bypass = (await (await fetchScore('zhima', { id: RID, alipayAuthToken: 'tok_alice' }, { bypassCache: true })).json()) as typeof body;
    expect(bypass.cached).toBe(false);
    expect(fx.calls.length).toBe(before + 2);

    fx.time.advance(86_400_000);
    const expired = (await (await fetchScore('zhima', { id: RID, alipayAuthToken: 'tok_alice' })).json()) as typeof body;
    expect(expired.cached).toBe(false);
    expect(fx.calls.length).toBe(before + 3);
  });

  it('stores provenance that re-verifies from storage, and detects tampering', async () => {
    await fx.grant('payscore');
    const res = await fetchScore('payscore', { id: RID, wechatOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
    expect(res.status).toBe(200);
    const { provenanceId, score } = (await res.json()) as { provenanceId: string; score: { score: null; eligible: boolean; reference: string } };
    expect(score.score).toBeNull();
    expect(typeof score.eligible).toBe('boolean');

    const stored = await call('GET', `/admin/v1/external-scores/provenance/${provenanceId}`);
    expect(stored.status).toBe(200);
    const rec = (await stored.json()) as { provider: string; consentId: string; reference: string; record: { response: { body: string; headers: Record<string, string> }; requestParams: Record<string, string> } };
    expect(rec).toMatchObject({ provider: 'payscore', reference: score.reference });
    expect(rec.record.requestParams.openid).toBe('[redacted]');
    expect(rec.record.response.headers['wechatpay-signature']).toBeTruthy();
    expect(JSON.stringify(rec)).not.toContain(RID);

    const verify = async () => (await (await call('POST', `/admin/v1/external-scores/provenance/${provenanceId}/verify`)).json()) as { verified: boolean; code: string };
    expect(await verify()).toMatchObject({ verified: true, code: 'signature_verified' });

    const tampered = rec.record.response.body.replace(/"(AVAILABLE|UNAVAILABLE)"/, (_m, s: string) => (s === 'AVAILABLE' ? '"UNAVAILABLE"' : '"AVAILABLE"'));
    expect(tampered).not.toBe(rec.record.response.body);
    await fx.db.update(externalScoreProvenance).set({ rawResponse: tampered }).where(eq(externalScoreProvenance.id, provenanceId));
    expect(await verify()).toMatchObject({ verified: false, code: 'bad_signature' });

    const missing = await call('GET', `/admin/v1/external-scores/provenance/exp_${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'provenance-not-found' });
    expect((await call('POST', '/admin/v1/external-scores/provenance/not-an-id/verify')).status).toBe(404);
  });

  it('stops calling after the consent is withdrawn, and drops the cached scores', async () => {
    const consent = await fx.grant('zhima-brief', PHONE);
    const withId = await fetchScore('zhima-brief', { id: PHONE, alipayUserId: '2088102122524333' });
    expect(withId.status).toBe(200);
    expect(((await withId.json()) as { score: { eligible: boolean } }).score.eligible).toEqual(expect.any(Boolean));
    const pseudonym = consent.record.subject.value;
    const cached = () => fx.db.select().from(externalScoreCache).where(eq(externalScoreCache.subject, pseudonym));
    expect(await cached()).toHaveLength(1);

    expect((await fx.consents.withdraw(consent.id)).ok).toBe(true);
    await mod.onConsentWithdrawn(pseudonym);
    expect(await cached()).toHaveLength(0);
    const before = fx.calls.length;
    const denied = await fetchScore('zhima-brief', { id: PHONE, alipayUserId: '2088102122524333' });
    expect(denied.status).toBe(409);
    expect(await denied.json()).toMatchObject({ code: 'consent-required' });
    expect(fx.calls.length).toBe(before);
  });

  it('uses the resident ID kept on the node for identity-based queries', async () => {
    await fx.grant('zhima-brief');
    const res = await fetchScore('zhima-brief', { id: RID, name: '张三' });
    expect(res.status).toBe(200);
    const { provenanceId } = (await res.json()) as { provenanceId: string };
    const rec = (await (await call('GET', `/admin/v1/external-scores/provenance/${provenanceId}`)).json()) as { record: { requestParams: Record<string, string> } };
    const biz = JSON.parse(rec.record.requestParams.biz_content ?? '{}') as Record<string, unknown>;
    expect(biz).toMatchObject({ cert_type: 'IDENTITY_CARD', cert_no: '[redacted]', name: '[redacted]' });
  });

  it.each([
    ['N/A is a signed answer, not an error', 'zhima', { id: RID, alipayAuthToken: 'na_bob' }, 200, 'not-assessable'],
    ['a business error', 'zhima', { id: RID, alipayAuthToken: 'err_carol' }, 502, 'provider-error'],
    ['a rejected user authorization', 'zhima', { id: RID, alipayAuthToken: 'probe_dave' }, 502, 'provider-auth-failed'],
    ['a missing identifier', 'zhima', { id: RID }, 422, 'external-identifier-missing'],
    ['an unknown provider', 'nope', { id: RID }, 404, 'external-provider-not-found'],
    ['an invalid subject', 'zhima', { id: '110105194912310021' }, 422, 'subject-invalid'],
  ] as const)('maps %s', async (_name, provider, subject, status, code) => {
    const res = await fetchScore(provider, subject, { bypassCache: true });
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    expect(status === 200 ? body.status : body.code).toBe(code);
    if (code === 'provider-error') expect(body).toMatchObject({ providerCode: 'ZMCREDIT.user_not_found', provenanceId: expect.stringMatching(/^exp_/) });
    if (code === 'not-assessable') expect(body).toMatchObject({ score: null, decisionInput: { reason: 'external_score_not_assessable' } });
    expect(JSON.stringify(body)).not.toContain('110105194912310021');
  });

  it('collects every provider\'s decision input for a subject, with reason codes instead of errors', async () => {
    const phone = '+86 138 0013 8000';
    for (const p of ['zhima', 'zhima-brief', 'payscore']) await fx.grant(p, phone);
    const resolved = await fx.subjects.resolve(phone);
    if (!resolved.ok) throw new Error(resolved.message);
    const { inputs, provenanceIds } = await mod.decisionInputs(resolved.pseudonym.value, { extra: { alipayAuthToken: 'tok_erin', wechatOpenid: 'o_decide' } });
    expect(inputs.map((i) => [i.provider, i.reason, i.code])).toEqual([
      ['zhima', null, null],
      // Zhima brief needs an Alipay user id, or ID number and name: a phone is not enough.
      ['zhima-brief', 'external_score_not_assessable', 'missing_identifier'],
      ['payscore', null, null],
    ]);
    expect(inputs[0]!.score?.score).toEqual(expect.any(Number));
    expect(provenanceIds).toHaveLength(2);
    const nobody = await mod.decisionInputs('unknown-pseudonym');
    expect(nobody.inputs.map((i) => i.reason)).toEqual(['external_score_no_consent', 'external_score_no_consent', 'external_score_no_consent']);
  });

  it('validates the request body', async () => {
    const res = await fetchScore('zhima', { id: RID, extra: 1 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'validation-failed' });
  });

  it('lists providers with their breaker state', async () => {
    const res = await call('GET', '/admin/v1/external-scores/providers');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      providers: [
        { name: 'zhima', type: 'zhima', breaker: 'closed', cacheTtlSeconds: 86400, timeoutMs: 2000 },
        { name: 'zhima-brief', type: 'zhima', breaker: 'closed', cacheTtlSeconds: 86400, timeoutMs: 2000 },
        { name: 'payscore', type: 'wechatpay-score', breaker: 'closed', cacheTtlSeconds: 86400, timeoutMs: 2000 },
      ],
    });
    const count = await fx.db.select({ n: sql<number>`count(*)::int` }).from(externalScoreProvenance);
    expect(count[0]!.n).toBeGreaterThan(0);
  });
});
}
