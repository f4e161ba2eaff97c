import { describe, expect, it } from 'vitest';
import { createVerify } from 'node:crypto';
import { buildAuthorization, requestSignMessage, responseSignMessage, verifyWechatResponse } from '../../../../../adapters/external/wechatpay/sign';
import { signSha256Rsa } from '../../../../../adapters/external/shared/rsa';
import { rsaKeyPair } from '../../../../fixtures/external/keys';

const k = rsaKeyPair();

describe('WeChat Pay v3 signature strings', () => {
  it('request message has five lines each ending in \\n (GET body empty)', () => {
    expect(requestSignMessage('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
    expect(responseSignMessage('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', '{"a":1}')).toBe(
      '1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{"a":1}\n',
    );
  });

  it('Authorization header carries all five fields and a verifiable signature', () => {
    const h = buildAuthorization({ mchid: '1900009191', serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', privateKey: k.privateKey, method: 'GET', canonicalUrl: '/v3/x?a=1', timestamp: '1554208460', nonce: 'ABC', body: '' });
    expect(h).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="ABC",signature="[^"]+",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"$/);
    const sig = /signature="([^"]+)"/.exec(h)![1]!;
    expect(createVerify('RSA-SHA256').update('GET\n/v3/x?a=1\n1554208460\nABC\n\n').verify(k.publicKey, sig, 'base64')).toBe(true);
  });

  it('rejects WeChat probe signatures and accepts a fresh valid one', () => {
    const keys = new Map([['S1', k.publicKey]]);
    const good = signSha256Rsa('100\nn\n{}\n', k.privateKey);
    const h = { 'wechatpay-timestamp': '100', 'wechatpay-nonce': 'n', 'wechatpay-serial': 'S1' };
    expect(verifyWechatResponse({ ...h, 'wechatpay-signature': good }, '{}', keys, new Date(100_000), 300)).toEqual({ ok: true, serial: 'S1' });
    expect(verifyWechatResponse({ ...h, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${good}` }, '{}', keys, new Date(100_000), 300)).toEqual({ ok: false, error: 'probe_signature' });
    expect(verifyWechatResponse({ ...h, 'wechatpay-signature': good }, '{}', keys, new Date(500_000), 300)).toEqual({ ok: false, error: 'stale' });
  });
});
