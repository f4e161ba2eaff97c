import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsentView } from '../../../../../../node/consent/service';
import { createAccessTokens } from '../../../../../../node/merchant/access/tokens/access-token';
import { createConsentTokens } from '../../../../../../node/merchant/access/tokens/consent-token';
import type { SigningKeys } from '../../../../../../node/merchant/access/tokens/signing-keys';

const CLIENT = `mch_${'a'.repeat(32)}`;
const OTHER = `mch_${'b'.repeat(32)}`;
const T0 = Date.parse('2026-11-23T10:00:00Z');

function consent(over: Partial<ConsentView['record']> = {}, withdrawnAt: string | null = null): ConsentView {
  return {
    id: 'cns_AAAAAAAAAAAAAAAAAAAAAA',
    ref: 'sha256:x',
    status: withdrawnAt ? 'withdrawn' : 'active',
    record: {
      v: 1, id: 'cns_AAAAAAAAAAAAAAAAAAAAAA', controller: 'shop-a', consortium: 'c', subject: { kid: 'pk', value: 'pseudonym-1' }, purpose: 'merchant-limit',
      recipients: [CLIENT], dataCategories: ['decisions'], notice: { version: '1', hash: 'sha256:x' }, collectionMethod: 'app-checkbox', automatedDecision: false,
      grantedAt: new Date(T0).toISOString(), expiresAt: new Date(T0 + 90 * 86_400_000).toISOString(), ...over,
    },
    signature: { alg: 'Ed25519', kid: 'k', value: 'v' },
    withdrawnAt,
    withdrawalSignalId: null,
  };
}

describe('consent tokens', () => {
  let keys: SigningKeys;
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    keys = { current: { kid: 'k1', key: privateKey }, verifyKey: (kid) => (kid === 'k1' ? publicKey : undefined), jwks: () => ({ keys: [] }) };
  });
  const build = (stored: ConsentView | null, t = { ms: T0 }) =>
    createConsentTokens({ keys, issuer: 'https://node-a', consents: { get: async () => stored }, now: () => new Date(t.ms), random: (n) => new Uint8Array(n).fill(1), maxMs: 30 * 86_400_000 });

  it('expires at the earlier of the consent expiry and the maximum', async () => {
    const long = await build(consent()).issue(consent(), CLIENT);
    expect(long.expiresAt.getTime()).toBe(T0 + 30 * 86_400_000);
    const shortConsent = consent({ expiresAt: new Date(T0 + 3600_000).toISOString() });
    expect((await build(shortConsent).issue(shortConsent, CLIENT)).expiresAt.getTime()).toBe(T0 + 3600_000);
  });

  it.each([
    ['the live consent', consent(), CLIENT, { ok: true, subject: 'pseudonym-1', consentId: 'cns_AAAAAAAAAAAAAAAAAAAAAA' }],
    ['another merchant', consent(), OTHER, { ok: false, code: 'consent-token-wrong-merchant' }],
    ['a withdrawn consent', consent({}, new Date(T0).toISOString()), CLIENT, { ok: false, code: 'consent-withdrawn' }],
    ['a consent that no longer names the merchant', consent({ recipients: [OTHER] }), CLIENT, { ok: false, code: 'consent-token-invalid' }],
    ['a consent of another subject', consent({ subject: { kid: 'pk', value: 'pseudonym-2' } }), CLIENT, { ok: false, code: 'consent-token-invalid' }],
    ['a consent for another purpose', consent({ purpose: 'signal-sharing' }), CLIENT, { ok: false, code: 'consent-token-invalid' }],
    ['an unknown consent', null, CLIENT, { ok: false, code: 'consent-token-invalid' }],
  ] as const)('checks %s', async (_name, stored, clientId, want) => {
    const { token } = await build(consent()).issue(consent(), CLIENT);
    expect(await build(stored).verify(token, clientId)).toMatchObject(want);
  });

  it('refuses expired, forged, unsigned and access tokens', async () => {
    const t = { ms: T0 };
    const tokens = build(consent(), t);
    const { token } = await tokens.issue(consent({ expiresAt: new Date(T0 + 60_000).toISOString() }), CLIENT);
    t.ms += 61_000;
    expect(await tokens.verify(token, CLIENT)).toMatchObject({ ok: false, code: 'consent-token-expired' });
    t.ms = T0;
    const { privateKey } = await generateKeyPair('EdDSA');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'consent+jwt', kid: 'k1' }).sign(privateKey);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'consent+jwt', kid: 'k1' })).toString('base64url')}.${token.split('.')[1]}.`;
    const access = (await createAccessTokens({ keys, issuer: 'https://node-a', audience: CLIENT, now: () => new Date(T0), random: (n) => new Uint8Array(n) }).issue(CLIENT, ['limits:read'])).token;
    for (const bad of [forged, none, access, 'x', '']) expect(await tokens.verify(bad, CLIENT)).toMatchObject({ ok: false, code: 'consent-token-invalid' });
  });

  it('re-checks expiry and the live consent for a token it verified before', async () => {
    const t = { ms: T0 };
    let stored: ConsentView | null = consent({ expiresAt: new Date(T0 + 60_000).toISOString() });
    const tokens = createConsentTokens({ keys, issuer: 'https://node-a', consents: { get: async () => stored }, now: () => new Date(t.ms), random: (n) => new Uint8Array(n).fill(2) });
    const { token } = await tokens.issue(stored, CLIENT);
    expect(await tokens.verify(token, CLIENT)).toMatchObject({ ok: true });
    expect(await tokens.verify(token, OTHER)).toMatchObject({ ok: false, code: 'consent-token-wrong-merchant' });
    stored = consent({ expiresAt: new Date(T0 + 60_000).toISOString() }, new Date(T0).toISOString());
    expect(await tokens.verify(token, CLIENT)).toMatchObject({ ok: false, code: 'consent-withdrawn' });
    stored = consent({ expiresAt: new Date(T0 + 60_000).toISOString() });
    t.ms += 60_000;
    expect(await tokens.verify(token, CLIENT)).toMatchObject({ ok: false, code: 'consent-token-expired' });
  });

  it('re-checks the expiry of an access token it verified before', async () => {
    const t = { ms: T0 };
    const access = createAccessTokens({ keys, issuer: 'https://node-a', audience: 'https://node-a/v1', now: () => new Date(t.ms), random: (n) => new Uint8Array(n).fill(3), ttlSeconds: 60 });
    const { token } = await access.issue(CLIENT, ['limits:read']);
    expect(await access.verify(token)).toMatchObject({ ok: true, clientId: CLIENT, scopes: ['limits:read'] });
    t.ms += 59_000;
    expect(await access.verify(token)).toMatchObject({ ok: true });
    t.ms += 1_000;
    expect(await access.verify(token)).toMatchObject({ ok: false, code: 'invalid-token' });
    const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    t.ms = T0;
    expect(await access.verify(tampered)).toMatchObject({ ok: false, code: 'invalid-token' });
  });
});
