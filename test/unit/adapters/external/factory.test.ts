import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import {
  ALIPAY_GATEWAY_URL,
  createExternalScoreService,
  createMemoryScoreCache,
  createProviders,
  ExternalScoresConfigError,
  loadProviderPublicKeys,
  parseExternalScoresConfig,
  realSleep,
  verifyProvenance,
  WECHATPAY_BASE_URL,
} from '../../../../adapters/external/index';
import { alipayGateway } from '../../../fixtures/external/alipay-gateway';
import { wechatpayApi } from '../../../fixtures/external/wechatpay-api';
import { rsaKeyPair, testClock, testRandom } from '../../../fixtures/external/keys';

const app = rsaKeyPair();
const alipay = rsaKeyPair();
const merchant = rsaKeyPair();
const platform = rsaKeyPair();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const files: Record<string, string> = {
  '/keys/app.pem': app.privatePem,
  '/keys/apiclient_key.pem': merchant.privatePem,
  '/keys/pub_key.pem': platform.publicPem,
};
const readFile = async (p: string) => {
  const v = files[p];
  if (v === undefined) throw new Error('ENOENT');
  return v;
};

const config = parseExternalScoresConfig({
  providers: [
    { type: 'zhima', name: 'zhima', appId: '2021000000000009', appPrivateKey: { file: '/keys/app.pem' }, alipayPublicKey: { pem: alipay.publicBase64 } },
    {
      type: 'wechatpay-score', name: 'payscore', mchid: '1230000109', appid: 'wx1', serviceId: '500001', merchantSerialNo: 'AB12',
      merchantPrivateKey: { file: '/keys/apiclient_key.pem' }, platformKeys: { PUB_KEY_ID_01: { file: '/keys/pub_key.pem' } },
    },
  ],
});

describe('createProviders + testProvider', () => {
  it('builds working providers from configuration and key files', async () => {
    const clock = testClock();
    const gw = alipayGateway({ url: ALIPAY_GATEWAY_URL, appId: '2021000000000009', appPublicKey: app.publicKey, alipayPrivateKey: alipay.privateKey, reply: () => ({ member: { code: '40004', msg: 'Business Failed', sub_code: 'ZMCREDIT.api_product_not_match' } }) });
    const wx = wechatpayApi({ baseUrl: WECHATPAY_BASE_URL, mchid: '1230000109', merchantSerial: 'AB12', merchantPublicKey: merchant.publicKey, platformSerial: 'PUB_KEY_ID_01', platformPrivateKey: platform.privateKey, now: clock.now, reply: () => ({ body: { use_service_state: 'AVAILABLE' } }) });
    server.use(gw.handler, wx.handler);
    const entries = await createProviders(config, { readFile, fetch, now: clock.now, random: testRandom(9) });
    expect(entries.map((e) => [e.provider.name, e.provider.kind, e.policy.timeoutMs])).toEqual([
      ['zhima', 'alipay-zhima', 5000],
      ['payscore', 'wechatpay-payscore', 5000],
    ]);
    const saved: unknown[] = [];
    const service = createExternalScoreService({
      providers: entries,
      checkConsent: async () => ({ ok: true, consentId: 'c-1' }),
      cache: createMemoryScoreCache(),
      provenanceStore: { save: async (r) => void saved.push(r) },
      now: clock.now,
      random: testRandom(1),
      sleep: realSleep,
    });
    expect(await service.testProvider('zhima')).toMatchObject({ ok: true, code: 'signature_verified' });
    expect(await service.testProvider('payscore')).toMatchObject({ ok: true, code: 'signature_verified' });
    expect(await service.testProvider('missing')).toMatchObject({ ok: false, code: 'unknown_provider' });

    const r = await service.fetchScore('payscore', { pseudonym: 'psn', wechatOpenid: 'oX' });
    expect(r.ok && r.score.eligible).toBe(true);
    const keys = await loadProviderPublicKeys(config, readFile);
    expect(verifyProvenance(JSON.stringify(saved[0]), keys.payscore!)).toMatchObject({ ok: true });
  });

  it.each([
    ['unreadable key file', { ...files, '/keys/app.pem': undefined }, /providers\.0\.appPrivateKey: cannot read \/keys\/app\.pem/],
    ['not a key', { ...files, '/keys/pub_key.pem': 'hello' }, /providers\.1\.platformKeys\.PUB_KEY_ID_01: not a usable RSA key/],
  ])('%s stops start-up naming the setting', async (_n, table, msg) => {
    const rf = async (p: string) => {
      const v = (table as Record<string, string | undefined>)[p];
      if (v === undefined) throw new Error('ENOENT');
      return v;
    };
    const c = testClock();
    await expect(createProviders(config, { readFile: rf, fetch, now: c.now, random: testRandom(1) })).rejects.toThrow(ExternalScoresConfigError);
    await expect(createProviders(config, { readFile: rf, fetch, now: c.now, random: testRandom(1) })).rejects.toThrow(msg);
  });
});
