import { generateKeyPair, SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchantQueryLog } from '../../../../node/store/schema';
import { createMerchantHarness, type MerchantHarness } from './harness';

let n = 0;
const nextPhone = () => `+86139001391${String(n++).padStart(2, '0')}`;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('merchant access through the composed node', () => {
  let h: MerchantHarness;
  let client: { id: string; secret: string };
  let other: { id: string; secret: string };
  let token: string;
  let phone: string;
  let decision: Record<string, any>;
  let consentToken: string;

  beforeAll(async () => {
    h = await createMerchantHarness();
    client = await h.client();
    other = await h.client(['limits:read']);
    token = await h.token(client);
    phone = nextPhone();
    decision = await h.decide(phone);
    consentToken = (await h.consent(phone, client.id)).consentToken;
  });
  afterAll(async () => h.close());
  const query = (t: string, body: unknown = { consentToken }, headers?: Record<string, string>) => h.merchant('POST', '/v1/joint-limits/query', t, body, headers);

  it('answers the joint-limit query with the decision in force and nothing else', async () => {
    const res = await query(token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ decisionId: decision.id, grade: decision.grade, currency: 'CNY', jointLimitMinor: decision.limit.jointLimitMinor, status: 'active', availableMinor: decision.limit.jointLimitMinor });
    expect(Object.keys(body).sort()).toEqual(['availableMinor', 'currency', 'decidedAt', 'decisionId', 'expiresAt', 'grade', 'jointLimitMinor', 'reasons', 'status', 'vipTier']);
    expect(JSON.stringify(body)).not.toMatch(/pd|features|evidence|signals/i);
    const rows = await h.node.database.db.select().from(merchantQueryLog);
    expect(rows.some((r) => r.clientId === client.id && r.action === 'joint-limit.query' && r.outcome === 'ok' && r.purpose === 'merchant-limit')).toBe(true);
  });

  it('names the subject in the consent token by pseudonym only, bound to the merchant', async () => {
    const claims = decodeJwt(consentToken);
    expect(claims.aud).toBe(client.id);
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(claims)).not.toContain(phone.slice(3));
  });

  it('issues tokens by HTTP Basic or form fields and publishes the JWKS without private parts', async () => {
    const res = await h.node.app.request('/v1/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: 'limits:read' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const t = (await res.json()) as Record<string, any>;
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'limits:read' });
    const claims = decodeJwt(t.access_token);
    expect(claims).toMatchObject({ sub: client.id, scope: 'limits:read' });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(600);
    const jwks = (await (await h.node.app.request('/.well-known/jwks.json')).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwks.keys.every((k) => !('d' in k))).toBe(true);
  });

  it.each([
    ['wrong secret', (c: { id: string; secret: string }) => ({ basic: `${c.id}:cns_${'A'.repeat(43)}` }), 401, 'invalid_client'],
    ['unknown client', () => ({ basic: `mch_${'0'.repeat(32)}:cns_${'A'.repeat(43)}` }), 401, 'invalid_client'],
    ['no credentials', () => ({}), 401, 'invalid_client'],
    ['unsupported grant', (c: { id: string; secret: string }) => ({ basic: `${c.id}:${c.secret}`, grant: 'password' }), 400, 'unsupported_grant_type'],
    ['scope not granted', (c: { id: string; secret: string }) => ({ basic: `${c.id}:${c.secret}`, scope: 'limits:read admin' }), 400, 'invalid_scope'],
    ['JSON body', (c: { id: string; secret: string }) => ({ basic: `${c.id}:${c.secret}`, json: true }), 400, 'invalid_request'],
    ['two auth methods', (c: { id: string; secret: string }) => ({ basic: `${c.id}:${c.secret}`, formSecret: c.secret }), 400, 'invalid_request'],
  ] as const)('token endpoint refuses %s with the RFC 6749 error JSON', async (_name, make, status, error) => {
    const g = make(client) as { basic?: string; grant?: string; scope?: string; json?: boolean; formSecret?: string };
    const form = new URLSearchParams({ grant_type: g.grant ?? 'client_credentials', ...(g.scope ? { scope: g.scope } : {}), ...(g.formSecret ? { client_secret: g.formSecret } : {}) });
    const res = await h.node.app.request('/v1/oauth/token', {
      method: 'POST',
      headers: { 'content-type': g.json ? 'application/json' : 'application/x-www-form-urlencoded', ...(g.basic ? { authorization: `Basic ${Buffer.from(g.basic).toString('base64')}` } : {}) },
      body: g.json ? JSON.stringify({ grant_type: 'client_credentials' }) : form.toString(),
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error });
  });

  it('refuses forged, foreign and malformed access tokens with invalid-token', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const now = Math.floor(h.clock.t / 1000);
    const iss = h.node.config.baseUrl.replace(/\/+$/, '');
    const real = decodeJwt(token);
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;
    const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid, ...header }).sign(privateKey);
    const forged = await sign({ ...real });
    const none = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64({ ...real })}.`;
    const [head, , sig] = token.split('.');
    const tampered = `${head}.${b64({ ...real, scope: 'limits:read authorizations:write admin' })}.${sig}`;
    for (const bad of [forged, none, tampered, 'not-a-token', `${token}x`]) {
      const res = await query(bad);
      expect(res.status, bad.slice(0, 20)).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
      expect(await res.json()).toMatchObject({ code: 'invalid-token' });
    }
    // A consent token is no access token (type and audience differ).
    expect((await query(consentToken)).status).toBe(401);
    expect(iss.length).toBeGreaterThan(0);
    expect(now).toBeGreaterThan(0);
    const missing = await h.node.app.request('/v1/joint-limits/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consentToken }) });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a token without the scope (403 insufficient-scope)', async () => {
    const writeOnly = await h.token(client, 'authorizations:write');
    const res = await query(writeOnly);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(await res.json()).toMatchObject({ code: 'insufficient-scope', requiredScope: 'limits:read' });
  });

  it('refuses a consent token of another merchant, a tampered one and a missing decision', async () => {
    const otherToken = await h.token(other);
    const wrong = await query(otherToken);
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: 'consent-token-wrong-merchant' });
    const [head, body] = consentToken.split('.');
    const tampered = await query(token, { consentToken: `${head}.${body}.${'A'.repeat(86)}` });
    expect(tampered.status).toBe(422);
    expect(await tampered.json()).toMatchObject({ code: 'consent-token-invalid' });
    const undecided = nextPhone();
    const c = await h.consent(undecided, client.id);
    const none = await query(token, { consentToken: c.consentToken });
    expect(none.status).toBe(409);
    expect(await none.json()).toMatchObject({ code: 'no-decision' });
  });

  it('stops a consent token the moment the consent is withdrawn', async () => {
    const p = nextPhone();
    await h.decide(p);
    const c = await h.consent(p, client.id);
    expect((await query(token, { consentToken: c.consentToken })).status).toBe(200);
    expect((await h.admin('POST', `/admin/v1/consents/${c.id}/withdraw`)).status).toBe(200);
    const res = await query(token, { consentToken: c.consentToken });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'consent-withdrawn' });
    const rows = await h.node.database.db.select().from(merchantQueryLog);
    expect(rows.filter((r) => r.consentId === c.id).map((r) => r.outcome)).toEqual(['ok', 'consent-withdrawn']);
  });

  it('refuses merchant-limit consents that do not name exactly one active client', async () => {
    for (const recipients of [['mch_' + 'f'.repeat(32)], [client.id, other.id], ['shop-b']]) {
      const res = await h.admin('POST', '/admin/v1/consents', { subject: { id: nextPhone() }, purpose: 'merchant-limit', recipients, dataCategories: ['decisions'], notice: { version: '1', hash: `sha256:${'ab'.repeat(32)}` }, collectionMethod: 'app-checkbox' });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ code: 'consent-recipient-unknown' });
    }
  });

  it.each([
    ['unknown property', { consentToken: 'x', extra: 1 }, 'application/json', 400, 'validation-failed'],
    ['missing token', {}, 'application/json', 400, 'validation-failed'],
    ['malformed JSON', '{"consentToken":', 'application/json', 400, 'bad-request'],
    ['wrong media type', 'consentToken=x', 'text/plain', 415, 'unsupported-media-type'],
    ['oversized body', { consentToken: 'x'.repeat(2 * 1024 * 1024) }, 'application/json', 413, 'payload-too-large'],
  ] as const)('refuses a body with %s', async (_name, body, type, status, code) => {
    const res = await h.merchant('POST', '/v1/joint-limits/query', token, body, { 'content-type': type });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code });
  });

  it('replays an idempotent retry and refuses the key for another body', async () => {
    const key = { 'idempotency-key': 'query-1' };
    const first = await query(token, { consentToken }, key);
    expect(first.status).toBe(200);
    const again = await query(token, { consentToken }, key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    const reused = await query(token, { consentToken: `${consentToken}x` }, key);
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
    const badKey = await query(token, { consentToken }, { 'idempotency-key': 'spaces are not allowed' });
    expect(badKey.status).toBe(400);
    expect(await badKey.json()).toMatchObject({ code: 'idempotency-key-invalid' });
  });

  it('rate-limits per client with Retry-After, and enforces the daily quota', async () => {
    const slow = await h.client(['limits:read'], { perSecond: 1, burst: 3, dailyQuota: 6 });
    const t = await h.token(slow); // the token request takes one from the bucket
    const statuses = async (k: number) => {
      const out: number[] = [];
      for (let i = 0; i < k; i++) out.push((await query(t, { consentToken: 'x' })).status);
      return out;
    };
    expect(await statuses(2)).toEqual([422, 422]);
    const limited = await query(t, { consentToken: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ code: 'rate-limited' });
    h.clock.t += 3000; // refills the bucket; 3 of 6 requests of the day used
    expect(await statuses(4)).toEqual([422, 422, 422, 429]);
    const quota = await query(t, { consentToken: 'x' });
    expect(quota.status).toBe(429);
    expect(Number(quota.headers.get('retry-after'))).toBeGreaterThan(3600);
    expect(await quota.json()).toMatchObject({ code: 'quota-exceeded' });
  });

  it('rotation replaces the secret; revocation stops the client and its tokens at once', async () => {
    const c = await h.client(['limits:read']);
    const t = await h.token(c);
    const rotated = (await (await h.admin('POST', `/admin/v1/clients/${c.id}/rotate`)).json()) as { clientSecret: string };
    await expect(h.token(c)).rejects.toThrow(/401/);
    const fresh = { id: c.id, secret: rotated.clientSecret };
    await h.token(fresh);
    expect((await h.admin('POST', `/admin/v1/clients/${c.id}/revoke`)).status).toBe(200);
    const res = await query(t);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid-token' });
    await expect(h.token(fresh)).rejects.toThrow(/401/);
    const list = (await (await h.admin('GET', '/admin/v1/clients')).json()) as { clients: Record<string, unknown>[] };
    expect(list.clients.find((x) => x.id === c.id)).toMatchObject({ status: 'revoked' });
    expect(JSON.stringify(list)).not.toMatch(/secret/i);
  });

  it('expires access tokens and consent tokens with the clock', async () => {
    const p = nextPhone();
    await h.decide(p);
    const c = await h.consent(p, client.id, new Date(h.clock.t + 20 * 60_000).toISOString());
    const t = await h.token(client);
    h.clock.t += 11 * 60_000;
    const expired = await query(t, { consentToken: c.consentToken });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 'invalid-token' });
    h.clock.t += 10 * 60_000;
    const res = await query(await h.token(client), { consentToken: c.consentToken });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'consent-token-expired' });
  });
});
