import { describe, it, expect, beforeAll } from 'vitest';
import { ready } from '../../../../protocol/crypto/sodium';
import { ed25519KeyPairFromSeed } from '../../../../protocol/crypto/ed25519';
import { signSignal, type SignedSignal } from '../../../../protocol/signals/sign';
import { encodeSignalEntry, decodeSignalEntry } from '../../../../protocol/signals/entry';
import { verifySignal, verifySignalEntry, checkSignalEntry, type VerifySignalOptions } from '../../../../protocol/signals/verify';
import { validateSignalBody, type SignalBody } from '../../../../protocol/signals/body';
import { SIGNAL_TYPES, type SignalType, type SignalData } from '../../../../protocol/signals/catalogue';
import { ProtocolError } from '../../../../protocol/errors';
import { acmeSignalKey, overdueBody, lookupOf } from '../../../fixtures/protocol/signals';

const now = new Date('2026-04-01T00:00:00Z');
let key: ReturnType<typeof acmeSignalKey>;
let opts: VerifySignalOptions;

beforeAll(async () => {
  await ready();
  key = acmeSignalKey();
  opts = { keys: lookupOf({ issuer: 'acme', kid: key.kid, publicKey: key.publicKey }), now };
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return 'OK';
}

const DATA: { [K in SignalType]: SignalData<K> } = {
  'repayment.overdue': { product: 'cash_loan', bucket: 'M4+', amountBand: 'gte500k', asOf: '2026-02' },
  'repayment.cured': { product: 'cash_loan', worstBucket: 'M1', method: 'paid_in_full', asOf: '2026-03' },
  'repayment.on_time': { product: 'bnpl', window: '12m', instalments: '12-23', onTimeRatio: 'all', asOf: '2026-03' },
  'credit.line': { product: 'credit_card', limitBand: '10k-50k', utilizationBand: '30-50', asOf: '2026-03' },
  'refund.abuse': { severity: 'high', incidents: '3-5', amountBand: '1k-5k', asOf: '2026-01' },
  'fraud.confirmed': { category: 'account_takeover', confirmation: 'court', asOf: '2025-11' },
  'grade.assigned': { grade: 'B', model: 'scorecard-v1.2', asOf: '2026-03' },
  'vip.status': { tier: 'gold', tenure: '3-5y', asOf: '2026-03' },
  'consent.withdrawn': { scope: 'all' },
  'signal.retracted': { target: 'sig-0000000000000001', reason: 'dispute_upheld' },
};

function bodyOf<T extends SignalType>(type: T): SignalBody<T> {
  return { ...overdueBody(), type, data: DATA[type], expiresAt: '2026-12-31T00:00:00Z' } as unknown as SignalBody<T>;
}

describe('signals: sign, encode, verify', () => {
  it.each(SIGNAL_TYPES.map((t) => [t]))('round-trips a %s signal through a log entry', (type) => {
    const signed = signSignal(bodyOf(type), key);
    const entry = encodeSignalEntry(signed);
    expect(decodeSignalEntry(entry)).toEqual(signed);
    expect(verifySignalEntry(entry, opts)).toEqual(signed);
    expect(verifySignal(signed, opts)).toEqual(signed.body);
  });

  it('entry bytes are the JCS of {body, kid, sig}', () => {
    const signed = signSignal(overdueBody(), key);
    const text = new TextDecoder().decode(encodeSignalEntry(signed));
    expect(text.startsWith('{"body":{"consent":"sha256:')).toBe(true);
    expect(text.endsWith(`,"kid":"acme-sig-2026","sig":"${signed.sig}"}`)).toBe(true);
  });

  const schemaCases: [string, { mutate: (b: Record<string, unknown>) => void; code: string }][] = [
    ['extra envelope field', { mutate: (b) => (b.extra = 1), code: 'SIGNAL_SCHEMA' }],
    ['extra data field', { mutate: (b) => ((b.data as Record<string, unknown>).days = 45), code: 'SIGNAL_SCHEMA' }],
    ['exact amount instead of band', { mutate: (b) => ((b.data as Record<string, unknown>).amountBand = '7321.50'), code: 'SIGNAL_SCHEMA' }],
    ['missing consent', { mutate: (b) => delete b.consent, code: 'SIGNAL_SCHEMA' }],
    ['bad pseudonym', { mutate: (b) => (b.subject = { kid: 'ck', value: '13800138000' }), code: 'SIGNAL_SCHEMA' }],
    ['bad timestamp', { mutate: (b) => (b.issuedAt = '2026-03-15T08:00:00.123Z'), code: 'SIGNAL_SCHEMA' }],
    ['expires before issued', { mutate: (b) => (b.expiresAt = '2026-03-01T00:00:00Z'), code: 'SIGNAL_SCHEMA' }],
    ['asOf after issue month', { mutate: (b) => ((b.data as Record<string, unknown>).asOf = '2026-04'), code: 'SIGNAL_SCHEMA' }],
    ['over 5 years after event', { mutate: (b) => (b.expiresAt = '2031-03-01T00:00:01Z'), code: 'SIGNAL_TOO_LONG_LIVED' }],
    ['unknown type', { mutate: (b) => (b.type = 'loan.denied'), code: 'SIGNAL_TYPE_UNKNOWN' }],
    ['version 2', { mutate: (b) => (b.v = 2), code: 'SIGNAL_VERSION' }],
  ];
  it.each(schemaCases)('rejects %s on sign and on verify', (_n, { mutate, code }) => {
    const body = overdueBody() as unknown as Record<string, unknown>;
    mutate(body);
    expect(codeOf(() => signSignal(body as unknown as SignalBody, key))).toBe(code);
    expect(codeOf(() => validateSignalBody(body))).toBe(code);
    // a verifier also rejects it when a (malicious) signer signed it anyway
    const forged = { body: body as unknown as SignalBody, kid: key.kid, sig: signSignal(overdueBody(), key).sig };
    expect(codeOf(() => verifySignal(forged, opts))).toBe(code);
  });

  it('rejects bad signatures, unknown keys, wrong issuers, key windows and expiry', () => {
    const signed = signSignal(overdueBody(), key);
    const tampered: SignedSignal = { ...signed, body: { ...signed.body, id: 'sig-0000000000000002' } };
    expect(codeOf(() => verifySignal(tampered, opts))).toBe('SIGNAL_BAD_SIGNATURE');
    const other = ed25519KeyPairFromSeed(new Uint8Array(32).fill(2));
    expect(codeOf(() => verifySignal(signed, { ...opts, keys: lookupOf({ issuer: 'acme', kid: key.kid, publicKey: other.publicKey }) }))).toBe('SIGNAL_BAD_SIGNATURE');
    expect(codeOf(() => verifySignal({ ...signed, kid: 'acme-sig-2027' }, opts))).toBe('SIGNAL_UNKNOWN_KEY');
    expect(codeOf(() => verifySignal(signed, { ...opts, expectedIssuer: 'beta' }))).toBe('SIGNAL_WRONG_ISSUER');
    expect(codeOf(() => verifySignal(signed, { ...opts, keys: () => ({ issuer: 'beta', kid: key.kid, publicKey: key.publicKey }) }))).toBe('SIGNAL_WRONG_ISSUER');
    const late = Date.parse('2026-03-16T00:00:00Z');
    expect(codeOf(() => verifySignal(signed, { ...opts, keys: lookupOf({ issuer: 'acme', kid: key.kid, publicKey: key.publicKey, notBefore: late }) }))).toBe('SIGNAL_KEY_NOT_VALID');
    const retired = Date.parse('2026-03-15T08:00:00Z');
    expect(codeOf(() => verifySignal(signed, { ...opts, keys: lookupOf({ issuer: 'acme', kid: key.kid, publicKey: key.publicKey, notAfter: retired }) }))).toBe('SIGNAL_KEY_NOT_VALID');
    expect(codeOf(() => verifySignal(signed, { ...opts, now: new Date('2031-03-01T00:00:00Z') }))).toBe('SIGNAL_EXPIRED');
    expect(codeOf(() => verifySignal(signed, { ...opts, now: new Date('2031-03-01T00:00:00Z'), checkExpiry: false }))).toBe('OK');
    expect(codeOf(() => verifySignal(signed, { ...opts, now: new Date('2026-03-15T07:00:00Z') }))).toBe('SIGNAL_NOT_YET_VALID');
  });

  it('rejects non-canonical or malformed entries', () => {
    const signed = signSignal(overdueBody(), key);
    const pretty = new TextEncoder().encode(JSON.stringify(signed, null, 1));
    expect(codeOf(() => decodeSignalEntry(pretty))).toBe('SIGNAL_ENTRY_FORMAT');
    const reordered = new TextEncoder().encode(JSON.stringify({ kid: signed.kid, sig: signed.sig, body: signed.body }));
    expect(codeOf(() => decodeSignalEntry(reordered))).toBe('SIGNAL_ENTRY_FORMAT');
    expect(codeOf(() => decodeSignalEntry(new Uint8Array([0xff, 0xfe])))).toBe('SIGNAL_ENTRY_FORMAT');
    expect(codeOf(() => decodeSignalEntry(new TextEncoder().encode('{"body":{},"kid":"k","sig":"x"}')))).toBe('SIGNAL_ENTRY_FORMAT');
    expect(codeOf(() => decodeSignalEntry(new Uint8Array(5000)))).toBe('SIGNAL_TOO_LARGE');
    const entry = encodeSignalEntry(signed);
    entry[20]! ^= 0x01;
    const check = checkSignalEntry(entry, opts);
    expect(check.ok).toBe(false);
  });
});
