/**
 * WeChat Pay API v3 signatures (scheme `WECHATPAY2-SHA256-RSA2048`).
 *
 * Request: SHA256withRSA with the merchant API key over
 * `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n` (URL = path + `?query`,
 * body empty for GET), sent as
 * `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",timestamp="..",serial_no=".."`.
 * Response: `Wechatpay-Signature` over `TIMESTAMP\nNONCE\nBODY\n` from the
 * `Wechatpay-Timestamp` / `Wechatpay-Nonce` headers, verified with the platform
 * certificate or WeChat Pay public key named by `Wechatpay-Serial`.
 */
import type { KeyObject } from 'node:crypto';
import { signSha256Rsa, verifySha256Rsa } from '../shared/rsa';

/** The authorization scheme name. */
export const WECHATPAY_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/** The request string to sign. */
export function requestSignMessage(method: string, canonicalUrl: string, timestamp: string, nonce: string, body: string): string {
  return `${method}\n${canonicalUrl}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** The response string to verify. */
export function responseSignMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** Inputs of the Authorization header. */
export interface AuthorizationInput {
  readonly mchid: string;
  readonly serialNo: string;
  readonly privateKey: KeyObject;
  readonly method: 'GET' | 'POST';
  readonly canonicalUrl: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly body: string;
}

/** Build the `Authorization` header value. */
export function buildAuthorization(a: AuthorizationInput): string {
  const msg = requestSignMessage(a.method, a.canonicalUrl, a.timestamp, a.nonce, a.body);
  const signature = signSha256Rsa(msg, a.privateKey);
  return (
    `${WECHATPAY_SCHEME} mchid="${a.mchid}",nonce_str="${a.nonce}",signature="${signature}",` +
    `timestamp="${a.timestamp}",serial_no="${a.serialNo}"`
  );
}

/** Why a response failed verification. */
export type WechatVerifyError = 'missing_headers' | 'unknown_serial' | 'stale' | 'probe_signature' | 'bad_signature';

/** Verify a response's signature headers. `now` null skips the freshness check (offline re-verification). */
export function verifyWechatResponse(
  headers: Readonly<Record<string, string>>,
  body: string,
  keysBySerial: ReadonlyMap<string, KeyObject>,
  now: Date | null,
  maxSkewSeconds: number,
): { ok: true; serial: string } | { ok: false; error: WechatVerifyError } {
  const ts = headers['wechatpay-timestamp'];
  const nonce = headers['wechatpay-nonce'];
  const sig = headers['wechatpay-signature'];
  const serial = headers['wechatpay-serial'];
  if (!ts || !nonce || !sig || !serial || !/^\d{1,12}$/.test(ts)) return { ok: false, error: 'missing_headers' };
  // WeChat Pay sends probe signatures to check that merchants really verify.
  if (sig.startsWith('WECHATPAY/SIGNTEST/')) return { ok: false, error: 'probe_signature' };
  const key = keysBySerial.get(serial);
  if (!key) return { ok: false, error: 'unknown_serial' };
  if (now && Math.abs(now.getTime() / 1000 - Number(ts)) > maxSkewSeconds) return { ok: false, error: 'stale' };
  if (!verifySha256Rsa(responseSignMessage(ts, nonce, body), sig, key)) return { ok: false, error: 'bad_signature' };
  return { ok: true, serial };
}
