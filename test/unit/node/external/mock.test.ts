import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExternalScoreService, createMemoryScoreCache, realSleep, type ExternalScoresConfigInput, type ProvenanceRecord } from '../../../../adapters/external/index';
import { verifyProvenance } from '../../../../adapters/external/index';
import { createMockGatewayApp, mockExternalScoresConfig, startMockGateway } from '../../../../node/external/mock/index';
import { setupExternalScores } from '../../../../node/external/setup';
import { clock, counterRandom, MOCK_URL, mockKeys } from './support';

const otherPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const otherPublicPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();

/** The external score service against the mock, consent always granted. */
async function serviceOn(externalScores: ExternalScoresConfigInput, fetchImpl?: typeof fetch) {
  const time = clock();
  const mock = createMockGatewayApp({ keys: mockKeys(), now: time.now, random: counterRandom(5), outcomes: { tok_scripted: 777, o_off: 'UNAVAILABLE', o_on: 'AVAILABLE' } });
  const setup = await setupExternalScores(externalScores, {
    dir: '/nonexistent',
    now: time.now,
    random: counterRandom(2),
    fetch: fetchImpl ?? ((async (input: string | URL | Request, init?: RequestInit) => mock.fetch(new Request(input, init))) as typeof fetch),
  });
  const saved: ProvenanceRecord[] = [];
  const service = createExternalScoreService({
    providers: setup.providers,
    checkConsent: async () => ({ ok: true, consentId: 'cns_test' }),
    cache: createMemoryScoreCache(),
    provenanceStore: { save: async (r) => void saved.push(r) },
    now: time.now,
    random: counterRandom(4),
    sleep: realSleep,
  });
  return { service, saved, keys: setup.publicKeys };
}

const withChange = (index: number, change: Record<string, unknown>): ExternalScoresConfigInput => {
  const cfg = mockExternalScoresConfig(mockKeys(), MOCK_URL);
  return { providers: cfg.providers!.map((p, i) => (i === index ? { ...p, ...change } : p)) };
};

describe('local provider mock', () => {
  let good: Awaited<ReturnType<typeof serviceOn>>;
  beforeAll(async () => {
    good = await serviceOn(mockExternalScoresConfig(mockKeys(), MOCK_URL));
  });

  it.each([
    ['zhima', { alipayAuthToken: 'tok_scripted' }, { score: 777, eligible: null }],
    ['zhima-brief', { alipayUserId: '2088102122524333' }, { score: null }],
    ['zhima-brief', { idNumber: '11010519491231002X', name: '张三' }, { score: null }],
    ['payscore', { wechatOpenid: 'o_off' }, { score: null, eligible: false }],
    ['payscore', { wechatOpenid: 'o_on' }, { score: null, eligible: true }],
  ])('answers %s with a verified, re-verifiable result (%j)', async (provider, ids, want) => {
    const r = await good.service.fetchScore(provider, { pseudonym: `p-${provider}-${JSON.stringify(ids)}`, ...ids });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.score).toMatchObject({ provider, ...want });
    expect(verifyProvenance(r.provenance, good.keys[provider]!)).toMatchObject({ ok: true });
  });

  it('answers N/A and business errors signed, and repeats the answer for a reused transaction_id', async () => {
    expect(await good.service.fetchScore('zhima', { pseudonym: 'p1', alipayAuthToken: 'na_x' })).toMatchObject({ ok: false, code: 'not_assessable' });
    expect(await good.service.fetchScore('zhima', { pseudonym: 'p2', alipayAuthToken: 'err_x' })).toMatchObject({ ok: false, code: 'provider_business_error', providerCode: 'ZMCREDIT.user_not_found' });
    const a = await good.service.fetchScore('zhima', { pseudonym: 'p3', alipayAuthToken: 'tok_a' }, { requestId: 'txn_reused_1' });
    const b = await good.service.fetchScore('zhima', { pseudonym: 'p4', alipayAuthToken: 'tok_b' }, { requestId: 'txn_reused_1' });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(b.score.reference).toBe(a.score.reference);
      expect(b.score.score).toBe(a.score.score);
    }
  });

  it.each([
    ['a wrong Alipay app key', 0, { appPrivateKey: { pem: otherPem } }, 'provider_auth_error', 'request_signature_rejected'],
    ['a wrong Alipay public key', 0, { alipayPublicKey: { pem: otherPublicPem } }, 'bad_signature', 'response_signature_invalid'],
    ['a wrong WeChat Pay merchant key', 2, { merchantPrivateKey: { pem: otherPem } }, 'provider_auth_error', 'request_signature_rejected'],
    ['a wrong WeChat Pay merchant serial', 2, { merchantSerialNo: 'ABCDEF' }, 'provider_auth_error', 'request_signature_rejected'],
  ] as const)('rejects %s like the real provider', async (_name, index, change, fetchCode, probeCode) => {
    const bad = await serviceOn(withChange(index, change));
    const provider = index === 0 ? 'zhima' : 'payscore';
    const r = await bad.service.fetchScore(provider, { pseudonym: 'p', alipayAuthToken: 'tok_q', wechatOpenid: 'o_on' });
    expect(r).toMatchObject({ ok: false, code: fetchCode });
    expect(await bad.service.testProvider(provider)).toMatchObject({ ok: false, code: probeCode });
    expect(await good.service.testProvider(provider)).toMatchObject({ ok: true, code: 'signature_verified' });
  });

  it('serves on 127.0.0.1 with a ready configuration', async () => {
    const running = await startMockGateway({ keys: mockKeys(), now: clock().now });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const real = await serviceOn(running.config, fetch);
      for (const name of ['zhima', 'zhima-brief', 'payscore']) expect(await real.service.testProvider(name)).toMatchObject({ ok: true, code: 'signature_verified' });
    } finally {
      await running.stop();
    }
  });
});
