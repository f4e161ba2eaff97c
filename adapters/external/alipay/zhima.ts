/**
 * Sesame (Zhima) credit through the Alipay OpenAPI gateway:
 * - `zhima.credit.score.get`: numeric score 350-950 or "N/A"; the user is
 *   identified by their Alipay authorization (`auth_token` common parameter).
 * - `zhima.credit.score.brief.get`: admittance Y / N / N/A against a configured
 *   `admittance_score`; the user is identified by Alipay user id, or by resident
 *   ID number and name.
 * `transaction_id` is the request's idempotency key: the gateway answers a
 * repeated id with the first answer for 24 h, which makes retries safe.
 */
import { failure, type ProbeResult, type ProviderOutcome, type ProviderRequest, type ScoreProvider } from '../provider';
import { callGateway, type AlipayClientDeps, type AlipayClientOptions, type GatewayAnswer } from './gateway';
import { mapAlipayError } from './errors';
import { buildAlipayProvenance } from './provenance';

/** Zhima score scale. */
export const ZHIMA_SCALE = { min: 350, max: 950 } as const;
/** Default product codes from the Zhima API documentation. */
export const ZHIMA_PRODUCT_CODES = { score: 'w1010100100000000001', brief: 'w1010100000000002733' } as const;
/** Gateway method per product. */
export const ZHIMA_METHODS = { score: 'zhima.credit.score.get', brief: 'zhima.credit.score.brief.get' } as const;

/** Options of one Zhima provider. */
export interface ZhimaOptions extends AlipayClientOptions {
  readonly name: string;
  readonly product: 'score' | 'brief';
  readonly productCode: string;
  /** Required for `brief`: 350..950. */
  readonly admittanceScore?: number;
}

type Built = { biz: Record<string, string | number>; extra: Record<string, string>; redact: string[] };

function buildCall(opts: ZhimaOptions, req: ProviderRequest): Built | string {
  const biz: Record<string, string | number> = { transaction_id: req.requestId, product_code: opts.productCode };
  const s = req.subject;
  if (opts.product === 'score') {
    if (!s.alipayAuthToken) return 'zhima.credit.score.get needs the user\'s Alipay auth_token';
    return { biz, extra: { auth_token: s.alipayAuthToken }, redact: ['auth_token'] };
  }
  biz.admittance_score = opts.admittanceScore ?? 0;
  if (s.alipayUserId) {
    return { biz: { ...biz, cert_type: 'ALIPAY_USER_ID', cert_no: s.alipayUserId }, extra: {}, redact: ['cert_no'] };
  }
  if (s.idNumber && s.name) {
    return {
      biz: { ...biz, cert_type: 'IDENTITY_CARD', cert_no: s.idNumber, name: s.name },
      extra: {},
      redact: ['cert_no', 'name'],
    };
  }
  return 'zhima.credit.score.brief.get needs an Alipay user id, or ID number and name';
}

function interpret(opts: ZhimaOptions, req: ProviderRequest, answer: GatewayAnswer, method: string): ProviderOutcome {
  if (answer.kind === 'http_error') {
    return failure('unavailable', `gateway HTTP ${answer.status}`, {
      cause: 'http_status',
      retryable: answer.status >= 500 || answer.status === 429,
    });
  }
  if (answer.kind === 'invalid') return failure('invalid_response', answer.message);
  const m = answer.member;
  const code = typeof m.code === 'string' ? m.code : '';
  const subCode = typeof m.sub_code === 'string' ? m.sub_code : undefined;
  const subMsg = typeof m.sub_msg === 'string' ? m.sub_msg : typeof m.msg === 'string' ? m.msg : undefined;
  const providerInfo = { ...(subCode ? { providerCode: subCode } : {}), ...(subMsg ? { providerMessage: subMsg } : {}) };
  if (!answer.signed && code !== '10000') {
    // The gateway leaves some error responses unsigned (e.g. a rejected request signature).
    const mapped = mapAlipayError(code, subCode);
    return failure(mapped.code, `gateway error ${code} (unsigned)`, { ...providerInfo, retryable: false });
  }
  if (!answer.verified) {
    return failure('bad_signature', answer.signed ? 'response signature does not verify' : 'response is not signed');
  }
  const reference = typeof m.biz_no === 'string' ? m.biz_no : null;
  const provenance = buildAlipayProvenance(opts.name, method, req, answer, reference);
  if (code !== '10000') {
    const mapped = mapAlipayError(code, subCode);
    return failure(mapped.code, `gateway error ${code}`, {
      ...providerInfo,
      ...(mapped.cause ? { cause: mapped.cause } : {}),
      retryable: mapped.retryable,
      provenance,
    });
  }
  const asOf = answer.receivedAt.toISOString();
  if (opts.product === 'score') {
    const raw = m.zm_score;
    if (raw === 'N/A') return failure('not_assessable', 'Zhima cannot assess this user (N/A)', { provenance });
    const n = typeof raw === 'string' && /^\d{3}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= ZHIMA_SCALE.min && n <= ZHIMA_SCALE.max)) return failure('invalid_response', 'zm_score out of range');
    return {
      ok: true,
      score: { provider: opts.name, score: n, scale: { ...ZHIMA_SCALE }, eligible: null, asOf, reference },
      provenance,
    };
  }
  const adm = m.is_admittance;
  if (adm === 'N/A') return failure('not_assessable', 'Zhima cannot assess this user (N/A)', { provenance });
  if (adm !== 'Y' && adm !== 'N') return failure('invalid_response', 'is_admittance is not Y, N or N/A');
  return {
    ok: true,
    score: { provider: opts.name, score: null, scale: null, eligible: adm === 'Y', asOf, reference },
    provenance,
  };
}

/** Create a Zhima provider (`zhima.credit.score.get` or `.brief.get`). */
export function createZhimaProvider(opts: ZhimaOptions, deps: AlipayClientDeps): ScoreProvider {
  if (opts.product === 'brief') {
    const a = opts.admittanceScore;
    if (a === undefined || !Number.isInteger(a) || a < ZHIMA_SCALE.min || a > ZHIMA_SCALE.max) {
      throw new RangeError('admittanceScore must be an integer in 350..950 for zhima brief');
    }
  }
  const method = ZHIMA_METHODS[opts.product];
  return {
    name: opts.name,
    kind: 'alipay-zhima',
    retrySafe: true,
    async fetchScore(req, signal) {
      if (!/^[A-Za-z0-9_]{1,64}$/.test(req.requestId)) return failure('request_rejected', 'transaction_id must be 1-64 of [A-Za-z0-9_]');
      const built = buildCall(opts, req);
      if (typeof built === 'string') return failure('missing_identifier', built);
      const answer = await callGateway(
        opts,
        deps,
        { method, bizContent: built.biz, extraParams: built.extra, redact: built.redact },
        signal,
      );
      return interpret(opts, req, answer, method);
    },
    async probe(signal): Promise<ProbeResult> {
      const probeReq: ProviderRequest = {
        subject: { pseudonym: 'probe', alipayAuthToken: 'probe_invalid_token', alipayUserId: '2088000000000000' },
        consentId: 'probe',
        requestId: `probe_${deps.now().getTime()}`,
      };
      const built = buildCall(opts, probeReq);
      if (typeof built === 'string') return { ok: false, code: 'probe_unbuildable', message: built };
      const a = await callGateway(opts, deps, { method, bizContent: built.biz, extraParams: built.extra, redact: built.redact }, signal);
      if (a.kind === 'http_error') return { ok: false, code: 'unreachable', message: `gateway HTTP ${a.status}` };
      if (a.kind === 'invalid') return { ok: false, code: 'invalid_response', message: a.message };
      const sub = typeof a.member.sub_code === 'string' ? a.member.sub_code : '';
      if (/invalid-signature|invalid-sign/i.test(sub)) return { ok: false, code: 'request_signature_rejected', message: 'the gateway rejected our request signature: check the app private key' };
      if (/invalid-app-id/i.test(sub)) return { ok: false, code: 'app_id_rejected', message: 'the gateway does not know this app_id' };
      if (!a.signed) return { ok: false, code: 'response_unsigned', message: 'the gateway answer carried no signature' };
      if (!a.verified) return { ok: false, code: 'response_signature_invalid', message: 'the gateway answer does not verify: check the Alipay public key' };
      return { ok: true, code: 'signature_verified', message: `gateway accepted our signature and its answer verified (code ${String(a.member.code)})` };
    },
  };
}
