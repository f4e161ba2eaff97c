import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createZhimaProvider } from '../../../../../adapters/external/alipay/zhima';
import { createPayScoreProvider } from '../../../../../adapters/external/wechatpay/payscore';
import { ALIPAY_GATEWAY_URL, createHttpTransport, verifyProvenance, WECHATPAY_BASE_URL, type ProvenanceRecord } from '../../../../../adapters/external/index';
import { alipayGateway } from '../../../../fixtures/external/alipay-gateway';
import { wechatpayApi } from '../../../../fixtures/external/wechatpay-api';
import { rsaKeyPair, testClock, testRandom } from '../../../../fixtures/external/keys';

const app = rsaKeyPair();
const alipay = rsaKeyPair();
const merchant = rsaKeyPair();
const platform = rsaKeyPair();
const other = rsaKeyPair();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const signal = new AbortController().signal;
const request = { subject: { pseudonym: 'psn-P', alipayAuthToken: 'tok', wechatOpenid: 'oOPENID' }, consentId: 'consent-9', requestId: 'tx_1' };

async function alipayRecord(): Promise<string> {
  const clock = testClock();
  server.use(alipayGateway({ url: ALIPAY_GATEWAY_URL, appId: '2021000000000003', appPublicKey: app.publicKey, alipayPrivateKey: alipay.privateKey, reply: () => ({ member: { biz_no: 'ZM9', zm_score: '733' } }) }).handler);
  const p = createZhimaProvider(
    { name: 'zhima', appId: '2021000000000003', product: 'score', productCode: 'w1010100100000000001', appPrivateKey: app.privateKey, alipayPublicKey: alipay.publicKey, gatewayUrl: ALIPAY_GATEWAY_URL },
    { transport: createHttpTransport(fetch), now: clock.now },
  );
  const r = await p.fetchScore(request, signal);
  if (!r.ok) throw new Error(r.code);
  return JSON.stringify(r.provenance);
}

async function wechatRecord(): Promise<string> {
  const clock = testClock();
  server.use(wechatpayApi({ baseUrl: WECHATPAY_BASE_URL, mchid: '1230000109', merchantSerial: 'AB12', merchantPublicKey: merchant.publicKey, platformSerial: 'PLAT1', platformPrivateKey: platform.privateKey, now: clock.now, reply: () => ({ body: { use_service_state: 'AVAILABLE' } }) }).handler);
  const p = createPayScoreProvider(
    { name: 'payscore', mchid: '1230000109', appid: 'wx1', serviceId: '500001', merchantSerialNo: 'AB12', merchantPrivateKey: merchant.privateKey, platformKeys: new Map([['PLAT1', platform.publicKey]]), baseUrl: WECHATPAY_BASE_URL, maxClockSkewSeconds: 300 },
    { transport: createHttpTransport(fetch), now: clock.now, random: testRandom(5) },
  );
  const r = await p.fetchScore(request, signal);
  if (!r.ok) throw new Error(r.code);
  return JSON.stringify(r.provenance);
}

function tamper(json: string, f: (r: ProvenanceRecord & Record<string, unknown>) => unknown): string {
  const r = JSON.parse(json) as ProvenanceRecord & Record<string, unknown>;
  return JSON.stringify(f(r) ?? r);
}

describe('verifyProvenance', () => {
  it('re-verifies a serialized Alipay record with the Alipay public key (PEM or bare base64)', async () => {
    const json = await alipayRecord();
    expect(verifyProvenance(json, { alipay: [alipay.publicPem] })).toMatchObject({ ok: true, record: { reference: 'ZM9', consentId: 'consent-9' } });
    expect(verifyProvenance(JSON.parse(json), { alipay: [other.publicKey, alipay.publicBase64] }).ok).toBe(true);
  });

  it.each([
    ['score changed in body', (r: ProvenanceRecord) => ({ ...r, response: { ...r.response, body: r.response.body.replace('"733"', '"933"') } }), 'bad_signature'],
    ['signature swapped', (r: ProvenanceRecord) => ({ ...r, signature: { ...r.signature, value: Buffer.alloc(256).toString('base64') } }), 'bad_signature'],
    ['unsigned', (r: ProvenanceRecord) => ({ ...r, signature: { ...r.signature, scheme: 'none' } }), 'malformed_record'],
    ['extra field', (r: ProvenanceRecord) => ({ ...r, extra: 1 }), 'malformed_record'],
  ])('Alipay record with %s -> %s', async (_n, f, code) => {
    const json = tamper(await alipayRecord(), f);
    expect(verifyProvenance(json, { alipay: [alipay.publicKey] })).toMatchObject({ ok: false, code });
  });

  it('rejects an Alipay record under the wrong key, and without keys', async () => {
    const json = await alipayRecord();
    expect(verifyProvenance(json, { alipay: [other.publicKey] })).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyProvenance(json, {})).toMatchObject({ ok: false, code: 'no_key' });
  });

  it('re-verifies a serialized WeChat record by serial; tampering and unknown serials fail', async () => {
    const json = await wechatRecord();
    expect(verifyProvenance(json, { wechatpay: { PLAT1: platform.publicPem } })).toMatchObject({ ok: true, record: { kind: 'wechatpay-payscore' } });
    expect(verifyProvenance(json, { wechatpay: { OTHER: platform.publicPem } })).toMatchObject({ ok: false, code: 'no_key' });
    const edited = tamper(json, (r) => ({ ...r, response: { ...r.response, body: r.response.body.replace('AVAILABLE', 'UNAVAILABLE') } }));
    expect(verifyProvenance(edited, { wechatpay: { PLAT1: platform.publicKey } })).toMatchObject({ ok: false, code: 'bad_signature' });
    const moved = tamper(json, (r) => ({ ...r, receivedAt: '2027-01-01T00:00:00.000Z' }));
    expect(verifyProvenance(moved, { wechatpay: { PLAT1: platform.publicKey } })).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('reports bureau records as unsigned and garbage as malformed', () => {
    const bureau: ProvenanceRecord = {
      v: 1, provider: 'acme', kind: 'bureau', operation: 'POST /v1/score', consentId: 'c', subjectPseudonym: 'p',
      requestedAt: '2026-03-01T02:00:00.000Z', receivedAt: '2026-03-01T02:00:00.000Z', reference: 'R', requestParams: {},
      response: { status: 200, body: '{}', headers: {} }, signature: { scheme: 'none', value: null, keyId: null },
    };
    expect(verifyProvenance(bureau, {})).toMatchObject({ ok: false, code: 'unsigned' });
    expect(verifyProvenance('{not json', {})).toMatchObject({ ok: false, code: 'malformed_record' });
  });
});
