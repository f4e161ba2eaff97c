import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../../protocol';
import type { Ed25519Key } from '../../../../node/keys/keyfile';
import { createTestConsortium, type TestConsortium } from '../../../support/network/harness';
import { rosterMember, testNodeKeys, testRoster } from '../../../support/network/fixtures';

async function token(key: Ed25519Key, claims: { iss: string; aud: string; iat: number; exp: number; jti?: string }, kid = key.kid): Promise<string> {
  const k = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: toBase64Url(key.publicKey), d: toBase64Url(key.secretKey.subarray(0, 32)) }, 'EdDSA');
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid }).setIssuer(claims.iss).setAudience(claims.aud).setIssuedAt(claims.iat).setExpirationTime(claims.exp);
  if (claims.jti !== undefined) jwt = jwt.setJti(claims.jti);
  return jwt.sign(k);
}

describe('peer authentication on /peer/v1/*', () => {
  let net: TestConsortium;
  let now: number;
  beforeAll(async () => {
    net = await createTestConsortium(['alpha', 'beta', 'gamma']);
    now = Math.floor(net.clock.now().getTime() / 1000);
    await net.member('alpha').network.log.checkpointNow();
    // gamma is suspended in a newer roster
    const ids = ['alpha', 'beta', 'gamma'];
    net.setRoster(testRoster('testco', ids.map((id) => rosterMember('testco', id, testNodeKeys(id), { status: id === 'gamma' ? 'suspended' : 'active' })), 2));
  });
  afterAll(async () => net.close());

  const call = (auth?: string) =>
    net.member('alpha').app.request('http://alpha.test/peer/v1/log/checkpoint', { headers: auth ? { authorization: auth } : {} });
  const beta = () => net.member('beta').keys.node;
  const rejections = async (code: string) =>
    (await net.member('alpha').metrics.registry.getSingleMetric('consortium_peer_rejections_total')!.get()).values.find((v) => v.labels.code === code)?.value ?? 0;

  it('accepts a fresh token from an active member exactly once', async () => {
    const t = await token(beta(), { iss: 'beta', aud: 'alpha', iat: now, exp: now + 60, jti: 'once-only-1' });
    const ok = await call(`Bearer ${t}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^testco\/alpha\n0\n/);
    const replay = await call(`Bearer ${t}`);
    expect(replay.status).toBe(401);
    expect(await rejections('auth-replayed')).toBe(1);
  });

  const cases: [string, () => Promise<string | undefined>, number, string][] = [
    ['no header', async () => undefined, 401, 'auth-missing'],
    ['a non-bearer header', async () => 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', 401, 'auth-malformed'],
    ['garbage', async () => 'Bearer a.b.c', 401, 'auth-malformed'],
    ['a forged token (right kid, wrong key)', async () => `Bearer ${await token(testNodeKeys('mallory').node, { iss: 'beta', aud: 'alpha', iat: now, exp: now + 60, jti: 'forged-0001' }, beta().kid)}`, 401, 'auth-bad-signature'],
    ['an unknown kid', async () => `Bearer ${await token(beta(), { iss: 'beta', aud: 'alpha', iat: now, exp: now + 60, jti: 'unknown-kid' }, 'nope')}`, 401, 'auth-unknown-key'],
    ['an expired token', async () => `Bearer ${await token(beta(), { iss: 'beta', aud: 'alpha', iat: now - 600, exp: now - 300, jti: 'expired-001' })}`, 401, 'auth-expired'],
    ['a token for another member', async () => `Bearer ${await token(beta(), { iss: 'beta', aud: 'gamma', iat: now, exp: now + 60, jti: 'wrong-aud-1' })}`, 401, 'auth-wrong-audience'],
    ['a token living too long', async () => `Bearer ${await token(beta(), { iss: 'beta', aud: 'alpha', iat: now, exp: now + 3600, jti: 'long-lived1' })}`, 401, 'auth-lifetime-too-long'],
    ['a token without jti', async () => `Bearer ${await token(beta(), { iss: 'beta', aud: 'alpha', iat: now, exp: now + 60 })}`, 401, 'auth-invalid'],
    ['a non-member', async () => `Bearer ${await token(testNodeKeys('zeta').node, { iss: 'zeta', aud: 'alpha', iat: now, exp: now + 60, jti: 'non-member1' })}`, 403, 'auth-not-member'],
    ['a suspended member', async () => `Bearer ${await token(net.member('gamma').keys.node, { iss: 'gamma', aud: 'alpha', iat: now, exp: now + 60, jti: 'suspended01' })}`, 403, 'auth-inactive-member'],
  ];

  it.each(cases)('rejects %s with a problem that reveals nothing, counted by code', async (_name, make, status, code) => {
    const before = await rejections(code);
    const res = await call(await make());
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
    expect(body.detail).not.toMatch(/expired|audience|signature|replay|suspended|kid/i);
    expect(await rejections(code)).toBe(before + 1);
  });

  it('guards tile and unknown peer paths too', async () => {
    expect((await net.member('alpha').app.request('http://alpha.test/peer/v1/log/tile/entries/000')).status).toBe(401);
    expect((await net.member('alpha').app.request('http://alpha.test/peer/v1/anything')).status).toBe(401);
  });
});
