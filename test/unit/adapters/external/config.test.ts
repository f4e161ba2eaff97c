import { describe, expect, it } from 'vitest';
import {
  ALIPAY_GATEWAY_URL,
  ExternalScoresConfigError,
  parseExternalScoresConfig,
  WECHATPAY_BASE_URL,
  type ExternalScoresConfigInput,
} from '../../../../adapters/external/index';
import { rsaKeyPair } from '../../../fixtures/external/keys';

const k = rsaKeyPair();

const VALID: ExternalScoresConfigInput = {
  providers: [
    { type: 'zhima', name: 'zhima', appId: '2021000000000001', appPrivateKey: { file: '/keys/app.pem' }, alipayPublicKey: { pem: k.publicBase64 } },
    { type: 'zhima', name: 'zhima-brief', appId: '2021000000000001', product: 'brief', admittanceScore: 650, appPrivateKey: { file: '/keys/app.pem' }, alipayPublicKey: { pem: k.publicPem } },
    {
      type: 'wechatpay-score', name: 'payscore', mchid: '1230000109', appid: 'wxd678efh567hg6787', serviceId: '500001',
      merchantSerialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', merchantPrivateKey: { file: '/keys/apiclient_key.pem' },
      platformKeys: { PUB_KEY_ID_0114232134912410000000000000: { file: '/keys/pub_key.pem' } },
    },
    {
      type: 'bureau', name: 'acme', url: 'https://bureau.example.test/v1/score', auth: { type: 'header', name: 'X-Api-Key', value: { file: '/keys/acme.key' } },
      request: { fields: { id_no: 'idNumber' } }, response: { score: '$.score', reference: '$.id', scale: { min: 300, max: 900 } },
    },
  ],
};

describe('externalScores configuration', () => {
  it('applies production URLs and default policies', () => {
    const c = parseExternalScoresConfig(VALID);
    const [z, , w, b] = c.providers;
    expect(z).toMatchObject({ gatewayUrl: ALIPAY_GATEWAY_URL, product: 'score', timeoutMs: 5000, cacheTtlSeconds: 86400, retry: { maxAttempts: 3 }, breaker: { failureThreshold: 5, halfOpenAfterMs: 30000 } });
    expect(ALIPAY_GATEWAY_URL).toBe('https://openapi.alipay.com/gateway.do');
    expect(w).toMatchObject({ baseUrl: WECHATPAY_BASE_URL, maxClockSkewSeconds: 300 });
    expect(WECHATPAY_BASE_URL).toBe('https://api.mch.weixin.qq.com');
    expect(b).toMatchObject({ method: 'POST', retrySafe: false, request: { constants: {} }, response: { notAssessable: ['N/A'] } });
    expect(parseExternalScoresConfig({})).toEqual({ providers: [] });
  });

  const bad = (f: (c: ExternalScoresConfigInput) => unknown) => f(structuredClone(VALID));
  it.each([
    ['brief without admittanceScore', bad((c) => { delete (c.providers![1] as { admittanceScore?: number }).admittanceScore; return c; }), 'externalScores.providers.1.admittanceScore'],
    ['admittance out of range', bad((c) => { (c.providers![1] as { admittanceScore?: number }).admittanceScore = 1000; return c; }), 'externalScores.providers.1.admittanceScore'],
    ['duplicate names', bad((c) => { c.providers![1]!.name = 'zhima'; return c; }), 'externalScores.providers.1.name'],
    ['no platform keys', bad((c) => { (c.providers![2] as { platformKeys: object }).platformKeys = {}; return c; }), 'externalScores.providers.2.platformKeys'],
    ['key given both ways', bad((c) => { (c.providers![0] as { appPrivateKey: object }).appPrivateKey = { file: 'a', pem: 'b' }; return c; }), 'externalScores.providers.0.appPrivateKey'],
    ['unknown type', { providers: [{ type: 'sesame', name: 'x' }] }, 'externalScores.providers.0.type'],
    ['bad name', bad((c) => { c.providers![0]!.name = 'Zhima!'; return c; }), 'externalScores.providers.0.name'],
    ['timeout too large', bad((c) => { c.providers![0]!.timeoutMs = 10 ** 6; return c; }), 'externalScores.providers.0.timeoutMs'],
  ])('%s names %s', (_n, input, setting) => {
    expect(() => parseExternalScoresConfig(input)).toThrow(ExternalScoresConfigError);
    expect(() => parseExternalScoresConfig(input)).toThrow(setting);
  });
});
