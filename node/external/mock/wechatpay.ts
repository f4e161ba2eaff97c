/**
 * The WeChat Pay API v3 user service state query as a local mock: verifies the caller's
 * `WECHATPAY2-SHA256-RSA2048` Authorization header exactly (merchant serial, timestamp within 5 min,
 * signature over `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`) and signs every answer with the mock
 * platform key (`Wechatpay-Timestamp/Nonce/Signature/Serial`).
 */
import type { KeyObject } from 'node:crypto';
import { requestSignMessage, responseSignMessage, WECHATPAY_SCHEME } from '../../../adapters/external/wechatpay/sign';
import { signSha256Rsa, verifySha256Rsa } from '../../../adapters/external/shared/rsa';
import type { MockHttpAnswer } from './alipay';
import { payScoreStateFor, type MockOutcome } from './outcomes';

/** Settings of the mock API. */
export interface WechatPayMockOptions {
  mchid: string;
  merchantSerialNo: string;
  merchantPublicKey: KeyObject;
  platformSerial: string;
  platformPrivateKey: KeyObject;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** Scripted service states by openid. */
  outcomes?: Readonly<Record<string, MockOutcome>>;
}

const MAX_SKEW_SECONDS = 300;

/** Parses the Authorization header's `k="v"` pairs; null when the scheme is not WeChat Pay's. */
export function parseWechatAuthorization(header: string | undefined): Record<string, string> | null {
  if (!header?.startsWith(`${WECHATPAY_SCHEME} `)) return null;
  const out: Record<string, string> = {};
  for (const m of header.slice(WECHATPAY_SCHEME.length + 1).matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** Creates the mock; `handle` answers `GET /v3/payscore/user-service-state?...`. */
export function createWechatPayMock(opts: WechatPayMockOptions) {
  const outcomes = opts.outcomes ?? {};

  function signed(status: number, body: unknown): MockHttpAnswer {
    const text = JSON.stringify(body);
    const timestamp = String(Math.floor(opts.now().getTime() / 1000));
    const nonce = hex(opts.random(16));
    return {
      status,
      body: text,
      headers: {
        'content-type': 'application/json',
        'request-id': `MOCK-${hex(opts.random(8))}`,
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-serial': opts.platformSerial,
        'wechatpay-signature-type': WECHATPAY_SCHEME,
        'wechatpay-signature': signSha256Rsa(responseSignMessage(timestamp, nonce, text), opts.platformPrivateKey),
      },
    };
  }

  return {
    handle(method: string, pathWithQuery: string, authorization: string | undefined): MockHttpAnswer {
      const auth = parseWechatAuthorization(authorization);
      const nowSec = Math.floor(opts.now().getTime() / 1000);
      const authValid =
        auth !== null &&
        auth.mchid === opts.mchid &&
        auth.serial_no === opts.merchantSerialNo &&
        /^\d{1,12}$/.test(auth.timestamp ?? '') &&
        Math.abs(nowSec - Number(auth.timestamp)) <= MAX_SKEW_SECONDS &&
        verifySha256Rsa(requestSignMessage(method, pathWithQuery, auth.timestamp!, auth.nonce_str ?? '', ''), auth.signature ?? '', opts.merchantPublicKey);
      if (!authValid) return signed(401, { code: 'SIGN_ERROR', message: '签名错误' });
      const query = new URL(pathWithQuery, 'http://mock').searchParams;
      const serviceId = query.get('service_id') ?? '';
      const appid = query.get('appid') ?? '';
      const openid = query.get('openid') ?? '';
      if (!serviceId || !appid || !openid) return signed(400, { code: 'PARAM_ERROR', message: 'service_id、appid 和 openid 必填' });
      return signed(200, { service_id: serviceId, appid, mchid: opts.mchid, openid, use_service_state: payScoreStateFor(openid, outcomes) });
    },
  };
}
