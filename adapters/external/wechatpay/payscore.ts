/**
 * WeChat Pay Score through WeChat Pay API v3: the user service state query
 * `GET /v3/payscore/user-service-state?service_id=&appid=&openid=`. Pay Score
 * has no numeric score; `use_service_state` AVAILABLE / UNAVAILABLE becomes the
 * eligibility flag. GET is idempotent, so retries are safe.
 */
import type { KeyObject } from 'node:crypto';
import { failure, type ProbeResult, type ProviderOutcome, type ProviderRequest, type ScoreProvider } from '../provider';
import type { HttpResponse, HttpTransport } from '../shared/http';
import { randomHex, type RandomBytes } from '../shared/random';
import { buildAuthorization, verifyWechatResponse } from './sign';
import { buildWechatProvenance } from './provenance';

/** Production API base. */
export const WECHATPAY_BASE_URL = 'https://api.mch.weixin.qq.com';
/** Path of the user service state query. */
export const USER_SERVICE_STATE_PATH = '/v3/payscore/user-service-state';

/** Options of one Pay Score provider. */
export interface PayScoreOptions {
  readonly name: string;
  readonly mchid: string;
  readonly appid: string;
  readonly serviceId: string;
  /** Serial number of the merchant API certificate. */
  readonly merchantSerialNo: string;
  readonly merchantPrivateKey: KeyObject;
  /** Platform certificates / WeChat Pay public keys by serial (`PUB_KEY_ID_...` for public keys). */
  readonly platformKeys: ReadonlyMap<string, KeyObject>;
  readonly baseUrl: string;
  /** Maximum accepted distance between `Wechatpay-Timestamp` and our clock. */
  readonly maxClockSkewSeconds: number;
}

/** Dependencies of a Pay Score provider. */
export interface PayScoreDeps {
  readonly transport: HttpTransport;
  readonly now: () => Date;
  readonly random: RandomBytes;
}

const SENSITIVE = new Set(['openid']);

async function send(opts: PayScoreOptions, deps: PayScoreDeps, openid: string, signal: AbortSignal) {
  const query = new URLSearchParams({ service_id: opts.serviceId, appid: opts.appid, openid }).toString();
  const canonicalUrl = `${USER_SERVICE_STATE_PATH}?${query}`;
  const requestedAt = deps.now();
  const timestamp = String(Math.floor(requestedAt.getTime() / 1000));
  const nonce = randomHex(deps.random, 16).toUpperCase();
  const authorization = buildAuthorization({
    mchid: opts.mchid,
    serialNo: opts.merchantSerialNo,
    privateKey: opts.merchantPrivateKey,
    method: 'GET',
    canonicalUrl,
    timestamp,
    nonce,
    body: '',
  });
  const response = await deps.transport({
    method: 'GET',
    url: `${opts.baseUrl.replace(/\/+$/, '')}${canonicalUrl}`,
    headers: { authorization, accept: 'application/json', 'user-agent': 'consortium-node-external-scores' },
    signal,
  });
  const params: Record<string, string> = { service_id: opts.serviceId, appid: opts.appid, openid, mchid: opts.mchid, serial_no: opts.merchantSerialNo };
  for (const k of SENSITIVE) if (k in params) params[k] = '[redacted]';
  return { response, requestedAt, receivedAt: deps.now(), params };
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function errorOutcome(res: HttpResponse, json: Record<string, unknown> | null, extra: object): ProviderOutcome {
  const providerCode = typeof json?.code === 'string' ? json.code : undefined;
  const providerMessage = typeof json?.message === 'string' ? json.message : undefined;
  const info = { ...(providerCode ? { providerCode } : {}), ...(providerMessage ? { providerMessage } : {}), ...extra };
  if (res.status === 401 || res.status === 403) return failure('provider_auth_error', `WeChat Pay HTTP ${res.status}`, info);
  if (res.status === 400) return failure('request_rejected', `WeChat Pay HTTP ${res.status}`, info);
  return failure('provider_business_error', `WeChat Pay HTTP ${res.status}`, info);
}

/** Create a Pay Score provider. */
export function createPayScoreProvider(opts: PayScoreOptions, deps: PayScoreDeps): ScoreProvider {
  if (opts.platformKeys.size === 0) throw new RangeError('at least one WeChat Pay platform key is required');
  return {
    name: opts.name,
    kind: 'wechatpay-payscore',
    retrySafe: true,
    async fetchScore(req: ProviderRequest, signal): Promise<ProviderOutcome> {
      const openid = req.subject.wechatOpenid;
      if (!openid) return failure('missing_identifier', 'WeChat Pay Score needs the user\'s openid');
      const sent = await send(opts, deps, openid, signal);
      const res = sent.response;
      if (res.status >= 500 || res.status === 429) {
        return failure('unavailable', `WeChat Pay HTTP ${res.status}`, { cause: 'http_status', retryable: true });
      }
      const v = verifyWechatResponse(res.headers, res.body, opts.platformKeys, sent.receivedAt, opts.maxClockSkewSeconds);
      if (!v.ok) return failure('bad_signature', `response rejected: ${v.error}`);
      const reference = res.headers['request-id'] ?? null;
      const provenance = buildWechatProvenance(opts.name, req, sent, reference);
      const json = parseJson(res.body);
      if (res.status !== 200) return errorOutcome(res, json, { provenance });
      const state = json?.use_service_state;
      if (state !== 'AVAILABLE' && state !== 'UNAVAILABLE') return failure('invalid_response', 'use_service_state is not AVAILABLE or UNAVAILABLE');
      return {
        ok: true,
        score: { provider: opts.name, score: null, scale: null, eligible: state === 'AVAILABLE', asOf: sent.receivedAt.toISOString(), reference },
        provenance,
      };
    },
    async probe(signal): Promise<ProbeResult> {
      const sent = await send(opts, deps, 'probe_openid', signal);
      const res = sent.response;
      if (res.status >= 500) return { ok: false, code: 'unreachable', message: `WeChat Pay HTTP ${res.status}` };
      const v = verifyWechatResponse(res.headers, res.body, opts.platformKeys, sent.receivedAt, opts.maxClockSkewSeconds);
      const code = parseJson(res.body)?.code;
      if (res.status === 401 || code === 'SIGN_ERROR') {
        return { ok: false, code: 'request_signature_rejected', message: 'WeChat Pay rejected our signature: check mchid, serial_no and the merchant key' };
      }
      if (!v.ok) {
        const hint = v.error === 'unknown_serial' ? ': add the platform certificate / public key for this serial' : '';
        return { ok: false, code: `response_${v.error}`, message: `response not verified (${v.error})${hint}` };
      }
      return { ok: true, code: 'signature_verified', message: `WeChat Pay accepted our signature and its answer verified (HTTP ${res.status})` };
    },
  };
}
