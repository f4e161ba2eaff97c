import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../../protocol/crypto/sodium';
import { ed25519Verify } from '../../../../protocol/crypto/ed25519';
import { signSignal } from '../../../../protocol/signals/sign';
import { encodeSignalEntry } from '../../../../protocol/signals/entry';
import { checkSignalEntry, type SignalKey, type VerifySignalOptions } from '../../../../protocol/signals/verify';
import { finishSignalCheck, prepareSignalEntry } from '../../../../protocol/signals/prepare';
import { acmeSignalKey, lookupOf, overdueBody } from '../../../fixtures/protocol/signals';

const now = new Date('2026-04-01T00:00:00Z');
let entries: Record<'valid' | 'badSig' | 'future' | 'futureBadSig', Uint8Array>;
let key: SignalKey;

beforeAll(async () => {
  await ready();
  const k = acmeSignalKey();
  key = { issuer: 'acme', kid: k.kid, publicKey: k.publicKey };
  const signed = signSignal(overdueBody(), k);
  const other = signSignal({ ...overdueBody(), id: 'sig-0000000000000002' }, k);
  const future = signSignal({ ...overdueBody(), issuedAt: '2026-05-01T00:00:00Z' }, k);
  entries = {
    valid: encodeSignalEntry(signed),
    badSig: encodeSignalEntry({ ...signed, sig: other.sig }),
    future: encodeSignalEntry(future),
    futureBadSig: encodeSignalEntry({ ...future, sig: other.sig }),
  };
});

/** Code of the split check (prepare, Ed25519 on the side, finish), 'OK' when it passes. */
function splitCode(entry: Uint8Array, opts: VerifySignalOptions): string {
  const p = prepareSignalEntry(entry, opts);
  if (!p.ok) return p.error.code;
  const { signature, message, publicKey } = p.prepared.check;
  const done = finishSignalCheck(p.prepared, ed25519Verify(signature, message, publicKey), opts);
  return done.ok ? 'OK' : done.error.code;
}

function wholeCode(entry: Uint8Array, opts: VerifySignalOptions): string {
  const r = checkSignalEntry(entry, opts);
  return r.ok ? 'OK' : r.error.code;
}

type Case = [string, { entry: () => Uint8Array; opts: () => VerifySignalOptions; want: string }];
const cases: Case[] = [
  ['a valid entry', { entry: () => entries.valid, opts: () => ({ keys: lookupOf(key), now }), want: 'OK' }],
  ['another signature', { entry: () => entries.badSig, opts: () => ({ keys: lookupOf(key), now }), want: 'SIGNAL_BAD_SIGNATURE' }],
  ['another expected issuer', { entry: () => entries.valid, opts: () => ({ keys: lookupOf(key), now, expectedIssuer: 'beta' }), want: 'SIGNAL_WRONG_ISSUER' }],
  ['an unknown key', { entry: () => entries.valid, opts: () => ({ keys: lookupOf(), now }), want: 'SIGNAL_UNKNOWN_KEY' }],
  ['a key of another member', { entry: () => entries.valid, opts: () => ({ keys: () => ({ ...key, issuer: 'other' }), now }), want: 'SIGNAL_WRONG_ISSUER' }],
  ['a key not yet valid at issuedAt', { entry: () => entries.valid, opts: () => ({ keys: lookupOf({ ...key, notBefore: Date.parse('2026-03-16T00:00:00Z') }), now }), want: 'SIGNAL_KEY_NOT_VALID' }],
  ['a key retired before issuedAt', { entry: () => entries.valid, opts: () => ({ keys: lookupOf({ ...key, notAfter: Date.parse('2026-03-15T08:00:00Z') }), now }), want: 'SIGNAL_KEY_NOT_VALID' }],
  ['a signal issued in the future', { entry: () => entries.future, opts: () => ({ keys: lookupOf(key), now }), want: 'SIGNAL_NOT_YET_VALID' }],
  ['a future signal within a large skew', { entry: () => entries.future, opts: () => ({ keys: lookupOf(key), now, maxClockSkewSeconds: 40 * 86400 }), want: 'OK' }],
  ['a bad signature before a future issuedAt', { entry: () => entries.futureBadSig, opts: () => ({ keys: lookupOf(key), now }), want: 'SIGNAL_BAD_SIGNATURE' }],
  ['an expired signal', { entry: () => entries.valid, opts: () => ({ keys: lookupOf(key), now: new Date('2032-01-01T00:00:00Z') }), want: 'SIGNAL_EXPIRED' }],
  ['an expired signal without the expiry check', { entry: () => entries.valid, opts: () => ({ keys: lookupOf(key), now: new Date('2032-01-01T00:00:00Z'), checkExpiry: false }), want: 'OK' }],
  ['bytes that are not an entry', { entry: () => new TextEncoder().encode('{"body":1}'), opts: () => ({ keys: lookupOf(key), now }), want: 'SIGNAL_ENTRY_FORMAT' }],
  ['a non-canonical entry', { entry: () => new TextEncoder().encode(` ${new TextDecoder().decode(entries.valid)}`), opts: () => ({ keys: lookupOf(key), now }), want: 'SIGNAL_ENTRY_FORMAT' }],
];

describe('prepareSignalEntry + finishSignalCheck', () => {
  it.each(cases)('decide %s exactly like checkSignalEntry', (_name, { entry, opts, want }) => {
    expect(splitCode(entry(), opts())).toBe(want);
    expect(wholeCode(entry(), opts())).toBe(want);
  });

  it('hands out the exact signature check: signing input, carried signature and roster key', () => {
    const p = prepareSignalEntry(entries.valid, { keys: lookupOf(key), now });
    if (!p.ok) throw p.error;
    const text = new TextDecoder().decode(p.prepared.check.message);
    expect(text.startsWith('consortium-signal/v1\n{"consent":')).toBe(true);
    expect(p.prepared.check.signature).toHaveLength(64);
    expect(p.prepared.check.publicKey).toEqual(key.publicKey);
    expect(p.prepared.issuedAt).toBe(Date.parse('2026-03-15T08:00:00Z'));
    expect(finishSignalCheck(p.prepared, false, { now }).ok).toBe(false);
  });
});
