import { describe, expect, it } from 'vitest';
import { ed25519Verify, fromBase64Url } from '../../../../protocol';
import { buildReceipt, consentTimeline, receiptSigningInput, signReceipt, type ConsentSource } from '../../../../node/compliance/receipt';
import { testKey } from '../audit/support';

const source = (o: Partial<ConsentSource> = {}): ConsentSource => ({
  id: 'cns_a', ref: 'sha256:aa', signature: 'sig', signatureKid: 'k', withdrawnAt: null, withdrawalSignalId: null,
  record: {
    v: 1, id: 'cns_a', controller: 'm1', consortium: 'c1', subject: { kid: 'k1', value: 'p1' }, purpose: 'merchant-limit', recipients: ['mch_1'],
    dataCategories: ['decisions'], notice: { version: 'n1', hash: 'sha256:bb' }, collectionMethod: 'app', automatedDecision: true,
    grantedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z',
  },
  ...o,
});

describe('consent receipts', () => {
  it.each([
    ['active', { src: source(), at: '2026-06-01T00:00:00Z', state: 'given', events: ['given'] }],
    ['expired', { src: source(), at: '2027-06-01T00:00:00Z', state: 'expired', events: ['given', 'expired'] }],
    ['withdrawn', { src: source({ withdrawnAt: new Date('2026-03-01T00:00:00Z'), withdrawalSignalId: 'sig_1' }), at: '2027-06-01T00:00:00Z', state: 'withdrawn', events: ['given', 'withdrawn'] }],
  ] as const)('states the %s consent and its events', (_n, { src, at, state, events }) => {
    const t = consentTimeline(src, new Date(at));
    expect(t.state).toBe(state);
    expect(t.events.map((e) => e.state)).toEqual(events);
  });

  it('carries the TS 27560 fields and PIPL additions, and verifies with the node key', async () => {
    const key = await testKey(3);
    const r = buildReceipt(source(), new Date('2026-06-01T00:00:00Z'));
    expect(r).toMatchObject({ recordId: 'cns_a', schemaVersion: '1', recipients: ['mch_1'], notice: { version: 'n1', hash: 'sha256:bb' }, collectionMethod: 'app', pipl: { separateConsent: true, automatedDecision: true } });
    const signed = signReceipt(r, key);
    expect(ed25519Verify(fromBase64Url(signed.signature.value), receiptSigningInput(signed.receipt), key.publicKey)).toBe(true);
    const tampered = { ...signed.receipt, recipients: ['mch_2'] };
    expect(ed25519Verify(fromBase64Url(signed.signature.value), receiptSigningInput(tampered), key.publicKey)).toBe(false);
  });
});
