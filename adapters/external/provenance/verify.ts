/**
 * Offline re-verification of a stored provenance record, for compliance
 * officers: pure (no clock, no network), works on a record read back from
 * storage as JSON.
 */
import { z } from 'zod';
import type { KeyObject } from 'node:crypto';
import type { ProvenanceRecord } from '../provider';
import { toPublicKey, type PublicKeyInput } from '../shared/keys';
import { verifyAlipayRecord } from '../alipay/provenance';
import { verifyWechatRecord } from '../wechatpay/provenance';

const str = z.string().max(1_000_000);

/** Schema of a serialized provenance record. */
export const provenanceRecordSchema = z
  .object({
    v: z.literal(1),
    provider: z.string().min(1).max(64),
    kind: z.enum(['alipay-zhima', 'wechatpay-payscore', 'bureau']),
    operation: z.string().min(1).max(200),
    consentId: z.string().min(1).max(200),
    subjectPseudonym: z.string().min(1).max(200),
    requestedAt: z.iso.datetime(),
    receivedAt: z.iso.datetime(),
    reference: z.string().max(200).nullable(),
    requestParams: z.record(z.string(), z.string().max(10_000)),
    response: z.object({ status: z.number().int(), body: str, headers: z.record(z.string(), z.string().max(10_000)) }),
    signature: z.object({
      scheme: z.enum(['alipay-rsa2', 'wechatpay-rsa2048', 'none']),
      value: z.string().max(4096).nullable(),
      keyId: z.string().max(200).nullable(),
    }),
  })
  .strict();

/** Provider keys used to re-verify a record. */
export interface ProviderPublicKeys {
  /** Alipay public keys (current and rotated-out ones still in their overlap window). */
  readonly alipay?: readonly PublicKeyInput[];
  /** WeChat Pay platform certificates / public keys by serial. */
  readonly wechatpay?: Readonly<Record<string, PublicKeyInput>>;
  /** Freshness window checked between the signed timestamp and the recorded receipt time. */
  readonly wechatpayMaxSkewSeconds?: number;
}

/** Result of a re-verification. */
export type ProvenanceVerification =
  | { readonly ok: true; readonly record: ProvenanceRecord }
  | { readonly ok: false; readonly code: 'malformed_record' | 'unsigned' | 'no_key' | 'bad_signature'; readonly message: string };

/** Parse a record from storage (JSON text or object). */
export function parseProvenanceRecord(input: unknown): ProvenanceRecord | null {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return null;
    }
  }
  const r = provenanceRecordSchema.safeParse(value);
  return r.success ? r.data : null;
}

/** Re-verify a stored record's signature with the provider's public keys. */
export function verifyProvenance(input: unknown, keys: ProviderPublicKeys): ProvenanceVerification {
  const record = parseProvenanceRecord(input);
  if (!record) return { ok: false, code: 'malformed_record', message: 'not a provenance record' };
  const expected = { 'alipay-zhima': 'alipay-rsa2', 'wechatpay-payscore': 'wechatpay-rsa2048', bureau: 'none' } as const;
  if (record.signature.scheme !== expected[record.kind]) {
    return { ok: false, code: 'malformed_record', message: 'signature scheme does not match provider kind' };
  }
  if (record.signature.scheme === 'none') {
    return { ok: false, code: 'unsigned', message: 'the provider does not sign its answers; the raw body is kept as recorded' };
  }
  if (record.signature.scheme === 'alipay-rsa2') {
    const list = (keys.alipay ?? []).map(toPublicKey);
    if (list.length === 0) return { ok: false, code: 'no_key', message: 'no Alipay public key given' };
    return verifyAlipayRecord(record, list)
      ? { ok: true, record }
      : { ok: false, code: 'bad_signature', message: 'signature does not verify over the raw response' };
  }
  const map = new Map<string, KeyObject>();
  for (const [serial, k] of Object.entries(keys.wechatpay ?? {})) map.set(serial, toPublicKey(k));
  if (!record.signature.keyId || !map.has(record.signature.keyId)) {
    return { ok: false, code: 'no_key', message: `no WeChat Pay key for serial ${record.signature.keyId ?? '(none)'}` };
  }
  return verifyWechatRecord(record, map, keys.wechatpayMaxSkewSeconds ?? 300)
    ? { ok: true, record }
    : { ok: false, code: 'bad_signature', message: 'signature does not verify over the raw response' };
}
