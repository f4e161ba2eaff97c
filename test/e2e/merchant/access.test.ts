import { request } from 'node:http';
import { generateKeyPair, SignJWT } from 'jose';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../../../node/http/api-types';
import { merchantQueryLog } from '../../../node/store/schema';
import { startMerchantNode, type MerchantE2e } from './harness';

let n = 0;
const phone = () => `+86139002392${String(n++).padStart(2, '0')}`;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('partner merchant access against a running node', { timeout: 120_000 }, () => {
  let e: MerchantE2e;
  let shop: Awaited<ReturnType<MerchantE2e['merchant']>>;
  let rival: Awaited<ReturnType<MerchantE2e['merchant']>>;
  let consentToken: string;
  let raw: ReturnType<typeof createClient<paths>>;
  const logCount = async () => (await e.node.runtime.database.db.select().from(merchantQueryLog)).length;

  beforeAll(async () => {
    e = await startMerchantNode();
    shop = await e.merchant();
    rival = await e.merchant(['limits:read']);
    const p = phone();
    await e.decide(p);
    consentToken = (await e.consent(p, shop.id)).consentToken;
    raw = createClient<paths>({ baseUrl: e.node.url });
  });
  afterAll(async () => e?.close());

  /** A query with an explicit bearer token (no token cache). */
  const queryWith = (token: string, body: { consentToken: string } = { consentToken }) =>
    raw.POST('/v1/joint-limits/query', { body, headers: { authorization: `Bearer ${token}` } });

  it('a merchant goes from credentials to the customer\'s joint limit with the typed client', async () => {
    const { data, error, response } = await shop.client.api.POST('/v1/joint-limits/query', { body: { consentToken } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data!.decisionId).toMatch(/^dec_/);
    expect(data!.availableMinor).toBeLessThanOrEqual(data!.jointLimitMinor);
    const jwks = await raw.GET('/.well-known/jwks.json');
    expect(jwks.data!.keys[0]!.kty).toBe('OKP');
  });

  it('refuses expired, wrongly signed, alg:none, wrong-audience, wrong-issuer and wrong-type tokens (401), wrong scope (403); nothing is logged', async () => {
    const before = await logCount();
    const keys = await e.signingKeys();
    const good = await shop.client.accessToken();
    const claims = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const { privateKey: stranger } = await generateKeyPair('EdDSA');
    const mint = (over: Record<string, unknown>, header: Record<string, unknown> = {}, key = keys.current.key) =>
      new SignJWT({ ...claims, ...over }).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: keys.current.kid, ...header }).sign(key);
    const nowS = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      ['expired', await mint({ iat: nowS - 1200, exp: nowS - 600 })],
      ['wrongly signed', await mint({}, {}, stranger)],
      ['alg none', `${b64({ alg: 'none', typ: 'at+jwt', kid: keys.current.kid })}.${b64(claims)}.`],
      ['wrong audience', await mint({ aud: 'https://other-node.example/v1' })],
      ['wrong issuer', await mint({ iss: 'https://attacker.example' })],
      ['consent token as access token', consentToken],
      ['unknown kid', await mint({}, { kid: 'ffffffffffffffff' })],
      ['garbage', 'abc.def.ghi'],
    ];
    for (const [name, token] of cases) {
      const { error, response } = await queryWith(token);
      expect(response.status, name).toBe(401);
      expect(error, name).toMatchObject({ code: 'invalid-token' });
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    // A token that outlived its 10 minutes at the node's clock.
    const fresh = await mint({});
    e.skew.ms = 11 * 60_000;
    try {
      expect((await queryWith(fresh)).error).toMatchObject({ code: 'invalid-token' });
    } finally {
      e.skew.ms = 0;
    }
    const writer = await e.merchant(['authorizations:write']);
    const { error, response } = await writer.client.api.POST('/v1/joint-limits/query', { body: { consentToken } });
    expect(response.status).toBe(403);
    expect(error).toMatchObject({ code: 'insufficient-scope' });
    expect(await logCount()).toBe(before);
  });

  it('refuses a consent token for another merchant, withdrawn or expired; nothing is disclosed', async () => {
    const wrong = await rival.client.api.POST('/v1/joint-limits/query', { body: { consentToken } });
    expect(wrong.response.status).toBe(403);
    expect(wrong.error).toMatchObject({ code: 'consent-token-wrong-merchant' });
    expect(JSON.stringify(wrong.error)).not.toMatch(/grade|limit/i);

    const p = phone();
    await e.decide(p);
    const withdrawn = await e.consent(p, shop.id);
    expect((await e.admin('POST', `/admin/v1/consents/${withdrawn.id}/withdraw`)).status).toBe(200);
    const w = await shop.client.api.POST('/v1/joint-limits/query', { body: { consentToken: withdrawn.consentToken } });
    expect(w.response.status).toBe(409);
    expect(w.error).toMatchObject({ code: 'consent-withdrawn' });

    const q = phone();
    await e.decide(q);
    const short = await e.consent(q, shop.id, new Date(Date.now() + 5 * 60_000).toISOString());
    e.skew.ms = 6 * 60_000;
    try {
      const x = await shop.client.api.POST('/v1/joint-limits/query', { body: { consentToken: short.consentToken } });
      expect(x.response.status).toBe(422);
      expect(x.error).toMatchObject({ code: 'consent-token-expired' });
    } finally {
      e.skew.ms = 0;
    }
  });

  it('refuses oversized, malformed and over-specified bodies with problem+json', async () => {
    const token = await (await e.merchant()).client.accessToken();
    // Plain node:http, one connection per request: the node answers 413 before reading a too-large body and closes.
    const send = (body: string, type = 'application/json') =>
      new Promise<{ status: number; type: string | undefined; json: Record<string, unknown> }>((resolve, reject) => {
        const req = request(`${e.node.url}/v1/joint-limits/query`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': type, 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], json: JSON.parse(text) as Record<string, unknown> }));
        });
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
        req.end(body);
      });
    const cases: [string, string, number, string][] = [
      ['oversized', JSON.stringify({ consentToken: 'x'.repeat(2 * 1024 * 1024) }), 413, 'payload-too-large'],
      ['malformed', '{"consentToken": "abc"', 400, 'bad-request'],
      ['unknown property', JSON.stringify({ consentToken, subject: 'someone-else' }), 400, 'validation-failed'],
      ['not an object', '[]', 400, 'validation-failed'],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await send(body);
      expect(res.status, name).toBe(status);
      expect(res.type).toBe('application/problem+json');
      expect(res.json, name).toMatchObject({ code });
    }
  });

  it('rate-limits a client over its budget with 429 and Retry-After', async () => {
    const slow = await e.merchant(['limits:read'], { perSecond: 1, burst: 2 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await slow.client.api.POST('/v1/joint-limits/query', { body: { consentToken: 'not-a-token' } });
      statuses.push(r.response.status);
      if (r.response.status === 429) retryAfter = r.response.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
