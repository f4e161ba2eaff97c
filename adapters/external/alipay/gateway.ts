/**
 * One call to the Alipay OpenAPI gateway: common parameters, RSA2 request
 * signature, form POST, extraction and verification of the signed response
 * member. Business meaning is left to the API-specific adapter (zhima.ts).
 */
import type { KeyObject } from 'node:crypto';
import type { HttpResponse, HttpTransport } from '../shared/http';
import { alipayTimestamp, buildSignContent, extractSignedResponse, signRsa2, verifyRsa2 } from './sign';

/** Production gateway. */
export const ALIPAY_GATEWAY_URL = 'https://openapi.alipay.com/gateway.do';

/** Credentials and endpoint of one Alipay application. */
export interface AlipayClientOptions {
  readonly appId: string;
  readonly appPrivateKey: KeyObject;
  readonly alipayPublicKey: KeyObject;
  readonly gatewayUrl: string;
}

/** Dependencies of a gateway client. */
export interface AlipayClientDeps {
  readonly transport: HttpTransport;
  readonly now: () => Date;
}

/** A gateway call. `redact` lists biz_content / common keys replaced by `[redacted]` in provenance. */
export interface GatewayCall {
  readonly method: string;
  readonly bizContent: Readonly<Record<string, string | number>>;
  readonly extraParams?: Readonly<Record<string, string>>;
  readonly redact: readonly string[];
}

/** What came back, before business interpretation. */
export type GatewayAnswer =
  | { readonly kind: 'http_error'; readonly status: number }
  | { readonly kind: 'invalid'; readonly message: string }
  | {
      readonly kind: 'answer';
      /** Parsed `<method>_response` (or `error_response`) member. */
      readonly member: Readonly<Record<string, unknown>>;
      /** `sign` was present and verified with the Alipay public key. */
      readonly verified: boolean;
      /** `sign` was present at all. */
      readonly signed: boolean;
      readonly sign: string | null;
      readonly certSn: string | null;
      readonly response: HttpResponse;
      readonly requestParams: Readonly<Record<string, string>>;
      readonly requestedAt: Date;
      readonly receivedAt: Date;
    };

const REDACTED = '[redacted]';

function redactParams(params: Record<string, string>, biz: Record<string, string | number>, keys: readonly string[]) {
  const safeBiz: Record<string, string | number> = { ...biz };
  for (const k of keys) if (k in safeBiz) safeBiz[k] = REDACTED;
  const out: Record<string, string> = { ...params, biz_content: JSON.stringify(safeBiz) };
  for (const k of keys) if (k in out) out[k] = REDACTED;
  delete out.sign;
  return out;
}

/** Perform one signed gateway call. Throws only on transport failure. */
export async function callGateway(
  opts: AlipayClientOptions,
  deps: AlipayClientDeps,
  call: GatewayCall,
  signal: AbortSignal,
): Promise<GatewayAnswer> {
  const requestedAt = deps.now();
  const params: Record<string, string> = {
    app_id: opts.appId,
    method: call.method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: alipayTimestamp(requestedAt),
    version: '1.0',
    biz_content: JSON.stringify(call.bizContent),
    ...call.extraParams,
  };
  params.sign = signRsa2(buildSignContent(params), opts.appPrivateKey);
  const response = await deps.transport({
    method: 'POST',
    url: opts.gatewayUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
    signal,
  });
  const receivedAt = deps.now();
  if (response.status !== 200) return { kind: 'http_error', status: response.status };
  const signed = extractSignedResponse(response.body, call.method);
  if (!signed) return { kind: 'invalid', message: 'response has no signed response member' };
  let member: unknown;
  let whole: unknown;
  try {
    member = JSON.parse(signed.text);
    whole = JSON.parse(response.body);
  } catch {
    return { kind: 'invalid', message: 'response is not valid JSON' };
  }
  if (typeof member !== 'object' || member === null || typeof whole !== 'object' || whole === null) {
    return { kind: 'invalid', message: 'response member is not an object' };
  }
  const sign = (whole as Record<string, unknown>).sign;
  const certSn = (whole as Record<string, unknown>).alipay_cert_sn;
  const hasSign = typeof sign === 'string' && sign.length > 0;
  return {
    kind: 'answer',
    member: member as Record<string, unknown>,
    signed: hasSign,
    verified: hasSign && verifyRsa2(signed.text, sign, opts.alipayPublicKey),
    sign: hasSign ? sign : null,
    certSn: typeof certSn === 'string' ? certSn : null,
    response,
    requestParams: redactParams(params, { ...call.bizContent }, call.redact),
    requestedAt,
    receivedAt,
  };
}
