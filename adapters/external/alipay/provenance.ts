/**
 * Provenance records for Alipay gateway answers and their offline
 * re-verification (signature over the raw `<method>_response` text).
 */
import type { KeyObject } from 'node:crypto';
import type { ProvenanceRecord, ProviderRequest } from '../provider';
import type { GatewayAnswer } from './gateway';
import { extractSignedResponse, verifyRsa2 } from './sign';

/** Build the provenance record of a verified gateway answer. */
export function buildAlipayProvenance(
  provider: string,
  method: string,
  req: ProviderRequest,
  answer: Extract<GatewayAnswer, { kind: 'answer' }>,
  reference: string | null,
): ProvenanceRecord {
  return {
    v: 1,
    provider,
    kind: 'alipay-zhima',
    operation: method,
    consentId: req.consentId,
    subjectPseudonym: req.subject.pseudonym,
    requestedAt: answer.requestedAt.toISOString(),
    receivedAt: answer.receivedAt.toISOString(),
    reference,
    requestParams: answer.requestParams,
    response: {
      status: answer.response.status,
      body: answer.response.body,
      headers: pickHeaders(answer.response.headers, ['content-type', 'date']),
    },
    signature: { scheme: 'alipay-rsa2', value: answer.sign, keyId: answer.certSn },
  };
}

function pickHeaders(h: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = h[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/**
 * Re-verify an Alipay record: the stored `signature.value` must be the body's
 * `sign`, and must verify over the raw response member with one of the keys.
 */
export function verifyAlipayRecord(record: ProvenanceRecord, keys: readonly KeyObject[]): boolean {
  const sig = record.signature.value;
  if (!sig) return false;
  const member = extractSignedResponse(record.response.body, record.operation);
  if (!member) return false;
  try {
    const whole = JSON.parse(record.response.body) as Record<string, unknown>;
    if (whole.sign !== sig) return false;
  } catch {
    return false;
  }
  return keys.some((k) => verifyRsa2(member.text, sig, k));
}
