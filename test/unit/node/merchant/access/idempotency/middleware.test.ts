import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { MerchantEnv } from '../../../../../../node/merchant/contracts';
import { idempotency, purgeIdempotency } from '../../../../../../node/merchant/access/idempotency/middleware';
import type { IdempotencyRecord, IdempotencyRepository } from '../../../../../../node/merchant/access/idempotency/repository';

/** The repository contract in memory (the SQL one runs in storage-contract.ts). */
function memoryRepo(): IdempotencyRepository & { rows: Map<string, IdempotencyRecord> } {
  const rows = new Map<string, IdempotencyRecord>();
  const k = (c: string, key: string) => `${c}\n${key}`;
  return {
    rows,
    async claim(clientId, key, requestHash, at) {
      if (rows.has(k(clientId, key))) return false;
      rows.set(k(clientId, key), { clientId, key, requestHash, state: 'in_progress', status: null, responseHeaders: null, responseBody: null, createdAt: at });
      return true;
    },
    get: async (c, key) => rows.get(k(c, key)) ?? null,
    async takeOver(c, key, claimedAt, at) {
      const r = rows.get(k(c, key));
      if (!r || r.state !== 'in_progress' || r.createdAt.getTime() !== claimedAt.getTime()) return false;
      r.createdAt = at;
      return true;
    },
    async complete(c, key, res) {
      Object.assign(rows.get(k(c, key))!, { state: 'done', status: res.status, responseHeaders: res.headers, responseBody: res.body });
    },
    async release(c, key) {
      if (rows.get(k(c, key))?.state === 'in_progress') rows.delete(k(c, key));
    },
    async purge(before) {
      let n = 0;
      for (const [id, r] of rows) if (r.createdAt < before) (rows.delete(id), n++);
      return n;
    },
  };
}

function app(repo: IdempotencyRepository, t: { ms: number }, gate?: Promise<void>) {
  let runs = 0;
  const a = new Hono<MerchantEnv>();
  a.use('*', async (c, next) => {
    c.set('merchant', { clientId: c.req.header('x-client') ?? 'mch_a', scopes: [] });
    await next();
  });
  a.use('*', idempotency({ repo, now: () => new Date(t.ms), requiredFor: (p) => p.startsWith('/v1/authorizations') }));
  a.post('/v1/:thing', async (c) => {
    runs++;
    await gate;
    if (c.req.param('thing') === 'boom') return c.json({ error: 'down' }, 503);
    return c.json({ run: runs, body: await c.req.json() }, 201, { location: `/v1/x/${runs}` });
  });
  return { a, runs: () => runs };
}

const post = (a: Hono<MerchantEnv>, path: string, body: unknown, headers: Record<string, string> = {}) =>
  a.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('Idempotency-Key middleware', () => {
  it('replays the stored response, refuses the key for another body or path, scopes keys per client', async () => {
    const t = { ms: Date.parse('2026-11-23T10:00:00Z') };
    const { a, runs } = app(memoryRepo(), t);
    const first = await post(a, '/v1/authorizations', { amount: 1 }, { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(201);
    const again = await post(a, '/v1/authorizations', { amount: 1 }, { 'idempotency-key': 'k-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe('/v1/x/1');
    expect(await again.json()).toEqual(await first.json());
    expect(runs()).toBe(1);
    for (const [path, body] of [['/v1/authorizations', { amount: 2 }], ['/v1/other', { amount: 1 }]] as const) {
      const reused = await post(a, path, body, { 'idempotency-key': 'k-1' });
      expect(reused.status).toBe(422);
      expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
    }
    expect((await post(a, '/v1/authorizations', { amount: 1 }, { 'idempotency-key': 'k-1', 'x-client': 'mch_b' })).status).toBe(201);
    expect(runs()).toBe(2);
  });

  it.each([
    ['required and missing', '/v1/authorizations', undefined, 400, 'idempotency-key-required'],
    ['too long', '/v1/other', 'k'.repeat(256), 400, 'idempotency-key-invalid'],
    ['bad characters', '/v1/other', 'a b', 400, 'idempotency-key-invalid'],
  ] as const)('refuses a key that is %s', async (_n, path, key, status, code) => {
    const { a, runs } = app(memoryRepo(), { ms: 0 });
    const res = await post(a, path, {}, key === undefined ? {} : { 'idempotency-key': key });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code });
    expect(runs()).toBe(0);
  });

  it('runs concurrent requests with one key once; the others get idempotency-in-progress', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { a, runs } = app(memoryRepo(), { ms: 0 }, gate);
    const inflight = Array.from({ length: 5 }, () => post(a, '/v1/authorizations', { amount: 1 }, { 'idempotency-key': 'same' }));
    await new Promise((r) => setTimeout(r, 20));
    open();
    const statuses = (await Promise.all(inflight)).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    expect(runs()).toBe(1);
  });

  it('forgets failed (5xx) attempts so a retry runs, takes over abandoned claims, and purges after 24 h', async () => {
    const t = { ms: Date.parse('2026-11-23T10:00:00Z') };
    const repo = memoryRepo();
    const { a, runs } = app(repo, t);
    expect((await post(a, '/v1/boom', {}, { 'idempotency-key': 'b' })).status).toBe(503);
    expect((await post(a, '/v1/boom', {}, { 'idempotency-key': 'b' })).status).toBe(503);
    expect(runs()).toBe(2);
    await repo.claim('mch_a', 'stuck', (await import('node:crypto')).createHash('sha256').update('POST /v1/other\n').update('{}').digest('hex'), new Date(t.ms));
    expect((await post(a, '/v1/other', {}, { 'idempotency-key': 'stuck' })).status).toBe(409);
    t.ms += 61_000;
    expect((await post(a, '/v1/other', {}, { 'idempotency-key': 'stuck' })).status).toBe(201);
    expect(await purgeIdempotency(repo, new Date(t.ms + 23 * 3600_000), 1000)).toBe(0);
    expect(await purgeIdempotency(repo, new Date(t.ms + 25 * 3600_000))).toBe(1);
  });
});
