/**
 * Provenance records for WeChat Pay API v3 answers and their offline
 * re-verification (`TIMESTAMP\nNONCE\nBODY\n` with the key of `Wechatpay-Serial`).
 */
import type { KeyObject } from 'node:crypto';
import type { ProvenanceRecord, ProviderRequest } from '../provider';
import type { HttpResponse } from '../shared/http';
import { verifyWechatResponse } from './sign';

/** Headers kept with the record: everything verification and reconciliation need. */
export const WECHAT_PROVENANCE_HEADERS = [
  'wechatpay-timestamp',
  'wechatpay-nonce',
  'wechatpay-signature',
  'wechatpay-serial',
  'request-id',
  'content-type',
] as const;

/** Build the record of a verified answer. */
export function buildWechatProvenance(
  provider: string,
  req: ProviderRequest,
  sent: { response: HttpResponse; requestedAt: Date; receivedAt: Date; params: Record<string, string> },
  reference: string | null,
): ProvenanceRecord {
  const headers: Record<string, string> = {};
  for (const h of WECHAT_PROVENANCE_HEADERS) {
    const v = sent.response.headers[h];
    if (v !== undefined) headers[h] = v;
  }
  return {
    v: 1,
    provider,
    kind: 'wechatpay-payscore',
    operation: 'GET /v3/payscore/user-service-state',
    consentId: req.consentId,
    subjectPseudonym: req.subject.pseudonym,
    requestedAt: sent.requestedAt.toISOString(),
    receivedAt: sent.receivedAt.toISOString(),
    reference,
    requestParams: sent.params,
    response: { status: sent.response.status, body: sent.response.body, headers },
    signature: {
      scheme: 'wechatpay-rsa2048',
      value: headers['wechatpay-signature'] ?? null,
      keyId: headers['wechatpay-serial'] ?? null,
    },
  };
}

/**
 * Re-verify a WeChat record offline. The signed timestamp must also lie within
 * `maxSkewSeconds` of the recorded receipt time, as it was checked at receipt.
 */
export function verifyWechatRecord(
  record: ProvenanceRecord,
  keysBySerial: ReadonlyMap<string, KeyObject>,
  maxSkewSeconds = 300,
): boolean {
  const h = record.response.headers;
  if (record.signature.value !== h['wechatpay-signature'] || record.signature.keyId !== h['wechatpay-serial']) return false;
  const received = new Date(record.receivedAt);
  if (Number.isNaN(received.getTime())) return false;
  return verifyWechatResponse(h, record.response.body, keysBySerial, received, maxSkewSeconds).ok;
}
