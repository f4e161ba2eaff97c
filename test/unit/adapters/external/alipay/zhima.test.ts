import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createZhimaProvider, ZHIMA_PRODUCT_CODES } from '../../../../../adapters/external/alipay/zhima';
import { ALIPAY_GATEWAY_URL, createHttpTransport } from '../../../../../adapters/external/index';
import { alipayGateway, type GatewayReply } from '../../../../fixtures/external/alipay-gateway';
import { harness, testPolicy } from '../../../../fixtures/external/harness';
import { rsaKeyPair, testClock } from '../../../../fixtures/external/keys';

const app = rsaKeyPair();
const alipay = rsaKeyPair();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SUBJECT = { pseudonym: 'psn-A', alipayAuthToken: 'authusrB123', alipayUserId: '2088102146225135', idNumber: '11010519491231002X', name: '张三' };

function setup(product: 'score' | 'brief', reply: (n: number) => GatewayReply, opts: { publicKey?: string } = {}) {
  const clock = testClock();
  let n = 0;
  const gw = alipayGateway({
    url: ALIPAY_GATEWAY_URL,
    appId: '2021000000000001',
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    reply: () => reply(n++),
  });
  server.use(gw.handler);
  const provider = createZhimaProvider(
    {
      name: 'zhima',
      appId: '2021000000000001',
      product,
      productCode: ZHIMA_PRODUCT_CODES[product],
      admittanceScore: 650,
      appPrivateKey: app.privateKey,
      alipayPublicKey: alipay.publicKey,
      gatewayUrl: ALIPAY_GATEWAY_URL,
    },
    { transport: createHttpTransport(fetch), now: clock.now },
  );
  const h = harness([{ provider, policy: testPolicy() }], clock);
  h.grant('psn-A', 'zhima');
  return { ...h, gw, clock };
}

describe('zhima.credit.score.get', () => {
  it('signs the request exactly and returns a verified score with provenance', async () => {
    const t = setup('score', () => ({ member: { biz_no: 'ZM201603153000000935800000000001', zm_score: '750' } }));
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.score).toEqual({
      provider: 'zhima',
      score: 750,
      scale: { min: 350, max: 950 },
      eligible: null,
      asOf: '2026-03-01T02:00:00.000Z',
      reference: 'ZM201603153000000935800000000001',
    });
    const hit = t.gw.hits[0]!;
    expect(hit.signatureValid).toBe(true);
    expect(hit.params).toMatchObject({
      method: 'zhima.credit.score.get',
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      timestamp: '2026-03-01 10:00:00',
      auth_token: 'authusrB123',
    });
    expect(hit.biz).toEqual({ transaction_id: expect.stringMatching(/^[0-9a-f]{32}$/), product_code: 'w1010100100000000001' });
    // Only what the API requires leaves the node.
    expect(JSON.stringify(hit.params)).not.toContain('11010519491231002X');
    expect(JSON.stringify(hit.params)).not.toContain('psn-A');
    expect(r.provenance).toMatchObject({ consentId: 'consent-zhima-1', subjectPseudonym: 'psn-A', operation: 'zhima.credit.score.get' });
    expect(r.provenance.requestParams.auth_token).toBe('[redacted]');
    expect(r.provenance.requestParams.sign).toBeUndefined();
    expect(t.saved).toHaveLength(1);
  });

  it.each([
    ['N/A', { member: { biz_no: 'ZM1', zm_score: 'N/A' } }, 'not_assessable'],
    ['business failure', { member: { code: '40004', msg: 'Business Failed', sub_code: 'ZMCREDIT.authentication_fail', sub_msg: '授权失败' } }, 'provider_business_error'],
    ['bad auth token', { member: { code: '20001', msg: 'Insufficient Token Permissions', sub_code: 'aop.invalid-auth-token' } }, 'provider_auth_error'],
    ['missing parameter', { member: { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-method' } }, 'request_rejected'],
    ['bad response signature', { member: { biz_no: 'ZM1', zm_score: '700' }, sign: 'bad' }, 'bad_signature'],
    ['missing response signature', { member: { biz_no: 'ZM1', zm_score: '700' }, sign: 'none' }, 'bad_signature'],
    ['score out of range', { member: { biz_no: 'ZM1', zm_score: '999' } }, 'invalid_response'],
  ] as const)('%s -> %s', async (_name, reply, code) => {
    const t = setup('score', () => reply as GatewayReply);
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    if (code === 'provider_business_error') expect(r.providerCode).toBe('ZMCREDIT.authentication_fail');
    expect(t.gw.hits).toHaveLength(1);
  });

  it('does not cache a rejected signature: the next call asks again', async () => {
    const t = setup('score', (n) => (n === 0 ? { member: { zm_score: '700' }, sign: 'bad' } : { member: { biz_no: 'ZM2', zm_score: '701' } }));
    const first = await t.service.fetchScore('zhima', SUBJECT);
    expect(first.ok ? 'ok' : first.code).toBe('bad_signature');
    expect(t.saved).toHaveLength(0);
    const second = await t.service.fetchScore('zhima', SUBJECT);
    expect(second.ok && second.score.score).toBe(701);
    expect(second.cached).toBe(false);
    const third = await t.service.fetchScore('zhima', SUBJECT);
    expect(third.cached).toBe(true);
    expect(t.gw.hits).toHaveLength(2);
  });

  it('caches N/A answers as verified outcomes', async () => {
    const t = setup('score', () => ({ member: { biz_no: 'ZM1', zm_score: 'N/A' } }));
    await t.service.fetchScore('zhima', SUBJECT);
    const again = await t.service.fetchScore('zhima', SUBJECT);
    expect(again).toMatchObject({ ok: false, code: 'not_assessable', cached: true });
    expect(t.gw.hits).toHaveLength(1);
  });

  it('retries a 5xx with the same transaction_id and backs off', async () => {
    const t = setup('score', (n) => (n < 2 ? { status: 502 } : { member: { biz_no: 'ZM3', zm_score: '640' } }));
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r.ok && r.score.score).toBe(640);
    const ids = t.gw.hits.map((h) => h.biz.transaction_id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(t.backoffs).toHaveLength(2);
    expect(t.backoffs[0]).toBeLessThan(100);
    expect(t.backoffs[1]).toBeLessThan(200);
  });

  it('reuses a caller-supplied transaction_id (safe retry within 24 h)', async () => {
    const t = setup('score', () => ({ member: { biz_no: 'ZM4', zm_score: '600' } }));
    await t.service.fetchScore('zhima', SUBJECT, { requestId: 'order_20260301_0001' });
    expect(t.gw.hits[0]!.biz.transaction_id).toBe('order_20260301_0001');
  });

  it('reports a gateway that rejects our signature (unsigned 40002) as provider_auth_error', async () => {
    const t = setup('score', () => ({ member: { zm_score: '700' } }));
    const wrong = rsaKeyPair();
    const provider = createZhimaProvider(
      { name: 'zhima', appId: '2021000000000001', product: 'score', productCode: 'w1010100100000000001', appPrivateKey: wrong.privateKey, alipayPublicKey: alipay.publicKey, gatewayUrl: ALIPAY_GATEWAY_URL },
      { transport: createHttpTransport(fetch), now: t.clock.now },
    );
    const r = await provider.fetchScore({ subject: SUBJECT, consentId: 'c', requestId: 'tx1' }, new AbortController().signal);
    expect(r).toMatchObject({ ok: false, code: 'provider_auth_error', providerCode: 'isv.invalid-signature' });
    expect(t.gw.hits[0]!.signatureValid).toBe(false);
  });

  it('needs the auth token: without it no call is made', async () => {
    const t = setup('score', () => ({ member: { zm_score: '700' } }));
    const r = await t.service.fetchScore('zhima', { pseudonym: 'psn-A' });
    expect(r.ok ? 'ok' : r.code).toBe('missing_identifier');
    expect(t.gw.hits).toHaveLength(0);
  });
});

describe('zhima.credit.score.brief.get', () => {
  it.each([
    ['Y', true],
    ['N', false],
  ] as const)('is_admittance %s -> eligible %s', async (flag, eligible) => {
    const t = setup('brief', () => ({ member: { biz_no: 'ZMB1', is_admittance: flag } }));
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r.ok && r.score).toMatchObject({ score: null, scale: null, eligible, reference: 'ZMB1' });
    const hit = t.gw.hits[0]!;
    expect(hit.params.method).toBe('zhima.credit.score.brief.get');
    expect(hit.biz).toMatchObject({ cert_type: 'ALIPAY_USER_ID', cert_no: '2088102146225135', admittance_score: 650, product_code: 'w1010100000000002733' });
    expect(hit.biz.name).toBeUndefined();
  });

  it('N/A -> not_assessable; identity card fallback redacts ID and name in provenance', async () => {
    const t = setup('brief', () => ({ member: { biz_no: 'ZMB2', is_admittance: 'N/A' } }));
    const r = await t.service.fetchScore('zhima', { pseudonym: 'psn-A', idNumber: '11010519491231002X', name: '张三' });
    expect(r).toMatchObject({ ok: false, code: 'not_assessable' });
    expect(t.gw.hits[0]!.biz).toMatchObject({ cert_type: 'IDENTITY_CARD', cert_no: '11010519491231002X', name: '张三' });
    const stored = JSON.stringify(t.saved[0]);
    expect(stored).not.toContain('11010519491231002X');
    expect(stored).not.toContain('张三');
  });
});

describe('probe', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup('score', () => ({ member: { code: '20001', msg: 'Insufficient Token Permissions', sub_code: 'aop.invalid-auth-token' } }));
  });
  it('reports a verified gateway answer as a working configuration', async () => {
    const r = await t.service.testProvider('zhima');
    expect(r).toMatchObject({ ok: true, code: 'signature_verified' });
  });
});
