/**
 * The Alipay OpenAPI gateway as a local mock: verifies the caller's RSA2 request signature exactly
 * (sorted non-empty parameters, `sign` excluded) and signs the raw `<method>_response` text with the
 * mock Alipay key. Answers `zhima.credit.score.get` and `zhima.credit.score.brief.get`; a repeated
 * `transaction_id` gets the first answer again for 24 h, as Zhima does.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { buildSignContent, responseKey, signRsa2, verifyRsa2 } from '../../../adapters/external/alipay/sign';
import { zhimaScoreFor, type MockOutcome } from './outcomes';

/** Settings of the mock gateway. */
export interface AlipayMockOptions {
  appId: string;
  appPublicKey: KeyObject;
  alipayPrivateKey: KeyObject;
  now: () => Date;
  /** Scripted outcomes by auth_token or cert_no. */
  outcomes?: Readonly<Record<string, MockOutcome>>;
}

/** Business error the mock answers for identifiers starting `err_` (demos of the failure path). */
const userNotFound = { code: '40004', msg: 'Business Failed', sub_code: 'ZMCREDIT.user_not_found', sub_msg: '用户不存在' };
const TRANSACTION_TTL_MS = 24 * 3600_000;
const MAX_REMEMBERED = 10_000;

/** A gateway answer: status and the raw JSON text. */
export interface MockHttpAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const json = (body: string): MockHttpAnswer => ({ status: 200, body, headers: { 'content-type': 'application/json;charset=utf-8' } });

function parseBiz(text: string | undefined): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text ?? '{}');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Creates the gateway; `handle` takes the form-encoded request body of `POST /gateway.do`. */
export function createAlipayMock(opts: AlipayMockOptions) {
  const remembered = new Map<string, { at: number; member: string }>();
  const outcomes = opts.outcomes ?? {};

  function answerMember(method: string, params: Record<string, string>, biz: Record<string, unknown>): Record<string, unknown> {
    const txn = typeof biz.transaction_id === 'string' ? biz.transaction_id : '';
    const bizNo = `ZM${createHash('sha256').update(`${opts.appId}/${txn}`).digest('hex').slice(0, 30).toUpperCase()}`;
    if (!/^[A-Za-z0-9_]{1,64}$/.test(txn)) return { code: '40004', msg: 'Business Failed', sub_code: 'INVALID_PARAMETER', sub_msg: 'transaction_id 格式错误' };
    if (method === 'zhima.credit.score.get') {
      const token = params.auth_token ?? '';
      if (!token || token.startsWith('probe_')) return { code: '20001', msg: 'Insufficient Token Permissions', sub_code: 'aop.invalid-auth-token', sub_msg: '无效的访问令牌' };
      if (token.startsWith('err_')) return userNotFound;
      const score = zhimaScoreFor(token, outcomes);
      return { biz_no: bizNo, zm_score: String(score) };
    }
    if (method === 'zhima.credit.score.brief.get') {
      const certNo = typeof biz.cert_no === 'string' ? biz.cert_no : '';
      const admittance = Number(biz.admittance_score);
      if (!certNo || !(admittance >= 350 && admittance <= 950)) {
        return { code: '40004', msg: 'Business Failed', sub_code: 'INVALID_PARAMETER', sub_msg: 'cert_no 或 admittance_score 无效' };
      }
      if (certNo.startsWith('err_')) return userNotFound;
      const score = zhimaScoreFor(certNo, outcomes);
      return { biz_no: bizNo, is_admittance: score === 'N/A' ? 'N/A' : score >= admittance ? 'Y' : 'N' };
    }
    return { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' };
  }

  return {
    handle(formBody: string): MockHttpAnswer {
      const params: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(formBody)) params[k] = v;
      const method = params.method ?? '';
      const key = responseKey(method || 'error');
      const signatureValid =
        params.sign_type === 'RSA2' && params.app_id === opts.appId && verifyRsa2(buildSignContent(params), params.sign ?? '', opts.appPublicKey);
      if (!signatureValid) {
        // The real gateway answers a rejected request signature unsigned.
        return json(JSON.stringify({ [key]: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' } }));
      }
      const biz = parseBiz(params.biz_content);
      const now = opts.now().getTime();
      const txnKey = `${method}/${typeof biz?.transaction_id === 'string' ? biz.transaction_id : ''}`;
      let member = remembered.get(txnKey);
      if (!member || now - member.at > TRANSACTION_TTL_MS) {
        const body = biz ? answerMember(method, params, biz) : { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-biz-content', sub_msg: 'biz_content 无效' };
        member = { at: now, member: JSON.stringify({ code: '10000', msg: 'Success', ...body }) };
        if ('biz_no' in body) {
          remembered.set(txnKey, member);
          if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? '');
        }
      }
      const sign = signRsa2(member.member, opts.alipayPrivateKey);
      return json(`{"${key}":${member.member},"sign":"${sign}"}`);
    },
  };
}
