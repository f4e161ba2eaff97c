import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createPayScoreProvider } from '../../../../../adapters/external/wechatpay/payscore';
import { createHttpTransport, WECHATPAY_BASE_URL } from '../../../../../adapters/external/index';
import { harness, testPolicy } from '../../../../fixtures/external/harness';
import { rsaKeyPair, testClock, testRandom, type TestKeyPair } from '../../../../fixtures/external/keys';
import { wechatpayApi, type WechatReply } from '../../../../fixtures/external/wechatpay-api';

const merchant = rsaKeyPair();
const platform = rsaKeyPair();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SUBJECT = { pseudonym: 'psn-W', wechatOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', phone: '+8613800138000' };
const PLATFORM_SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';

function setup(reply: (n: number) => WechatReply, merchantKey: TestKeyPair = merchant) {
  const clock = testClock();
  let n = 0;
  const api = wechatpayApi({
    baseUrl: WECHATPAY_BASE_URL,
    mchid: '1230000109',
    merchantSerial: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    merchantPublicKey: merchant.publicKey,
    platformSerial: PLATFORM_SERIAL,
    platformPrivateKey: platform.privateKey,
    now: clock.now,
    reply: () => reply(n++),
  });
  server.use(api.handler);
  const provider = createPayScoreProvider(
    {
      name: 'payscore',
      mchid: '1230000109',
      appid: 'wxd678efh567hg6787',
      serviceId: '500001',
      merchantSerialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
      merchantPrivateKey: merchantKey.privateKey,
      platformKeys: new Map([[PLATFORM_SERIAL, platform.publicKey]]),
      baseUrl: WECHATPAY_BASE_URL,
      maxClockSkewSeconds: 300,
    },
    { transport: createHttpTransport(fetch), now: clock.now, random: testRandom(3) },
  );
  const h = harness([{ provider, policy: testPolicy() }], clock);
  h.grant('psn-W', 'payscore');
  return { ...h, api, clock, provider };
}

const state = (s: string): WechatReply => ({
  body: { service_id: '500001', appid: 'wxd678efh567hg6787', mchid: '1230000109', openid: SUBJECT.wechatOpenid, use_service_state: s },
});

describe('WeChat Pay Score user service state', () => {
  it.each([
    ['AVAILABLE', true],
    ['UNAVAILABLE', false],
  ] as const)('%s -> eligible %s, request signature verified by the API', async (s, eligible) => {
    const t = setup(() => state(s));
    const r = await t.service.fetchScore('payscore', SUBJECT);
    expect(r.ok && r.score).toEqual({
      provider: 'payscore',
      score: null,
      scale: null,
      eligible,
      asOf: '2026-03-01T02:00:00.000Z',
      reference: 'REQ-08F1E2D3C4B5',
    });
    expect(t.api.hits[0]).toEqual({
      query: { service_id: '500001', appid: 'wxd678efh567hg6787', openid: SUBJECT.wechatOpenid },
      authValid: true,
    });
    expect(t.saved[0]!.requestParams.openid).toBe('[redacted]');
    expect(t.saved[0]!.signature).toMatchObject({ scheme: 'wechatpay-rsa2048', keyId: PLATFORM_SERIAL });
  });

  it.each([
    ['bad signature', { ...state('AVAILABLE'), sign: 'bad' }, 'bad_signature', /bad_signature/],
    ['missing signature', { ...state('AVAILABLE'), sign: 'none' }, 'bad_signature', /missing_headers/],
    ['stale timestamp', { ...state('AVAILABLE'), sign: 'stale' }, 'bad_signature', /stale/],
    ['unknown serial', { ...state('AVAILABLE'), sign: 'unknown-serial' }, 'bad_signature', /unknown_serial/],
    ['unknown state', state('MAYBE'), 'invalid_response', /use_service_state/],
    ['400 PARAM_ERROR', { status: 400, body: { code: 'PARAM_ERROR', message: 'openid 无效' } }, 'request_rejected', /400/],
    ['404 NOT_FOUND', { status: 404, body: { code: 'NOT_FOUND', message: '服务不存在' } }, 'provider_business_error', /404/],
  ] as const)('%s -> %s, not cached', async (_n, reply, code, msg) => {
    const t = setup(() => reply as WechatReply);
    const r = await t.service.fetchScore('payscore', SUBJECT);
    expect(r.ok ? 'ok' : r.code).toBe(code);
    expect(r.ok ? '' : r.message).toMatch(msg);
    await t.service.fetchScore('payscore', SUBJECT);
    expect(t.api.hits).toHaveLength(2);
  });

  it('a wrong merchant key is rejected by the API (401, signed) -> provider_auth_error', async () => {
    const t = setup(() => state('AVAILABLE'), rsaKeyPair());
    const r = await t.service.fetchScore('payscore', SUBJECT);
    expect(r).toMatchObject({ ok: false, code: 'provider_auth_error', providerCode: 'SIGN_ERROR' });
    expect(t.api.hits[0]!.authValid).toBe(false);
    const probe = await t.service.testProvider('payscore');
    expect(probe).toMatchObject({ ok: false, code: 'request_signature_rejected' });
  });

  it('retries GET on 503 and succeeds', async () => {
    const t = setup((n) => (n === 0 ? { status: 503 } : state('AVAILABLE')));
    const r = await t.service.fetchScore('payscore', SUBJECT);
    expect(r.ok && r.score.eligible).toBe(true);
    expect(t.api.hits).toHaveLength(2);
    expect(t.backoffs).toHaveLength(1);
  });

  it('probe verifies the answer to a synthetic openid', async () => {
    const t = setup(() => ({ status: 400, body: { code: 'PARAM_ERROR', message: 'openid 无效' } }));
    expect(await t.service.testProvider('payscore')).toMatchObject({ ok: true, code: 'signature_verified' });
    expect(t.api.hits[0]!.query.openid).toBe('probe_openid');
  });

  it('needs the openid: without it no call is made', async () => {
    const t = setup(() => state('AVAILABLE'));
    const r = await t.service.fetchScore('payscore', { pseudonym: 'psn-W', phone: '+8613800138000' });
    expect(r.ok ? 'ok' : r.code).toBe('missing_identifier');
    expect(t.api.hits).toHaveLength(0);
  });
});
