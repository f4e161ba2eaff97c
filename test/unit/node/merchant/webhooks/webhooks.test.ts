import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchantClients } from '../../../../../node/store/schema';
import type { Database } from '../../../../../node/store/database';
import { backoffMs } from '../../../../../node/merchant/webhooks/webhooks';
import { verifyWebhook } from '../../../../../node/merchant/webhooks/signing';
import { migratedPglite } from '../../../../support/pglite';
import { decision, ledgerHarness, subject, T0, type LedgerHarness } from '../ledger/harness';

type Json = Record<string, any>;
const body = async (r: Response) => (await r.json()) as Json;

describe('backoffMs', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999, 1000],
    [2, 0, 1000],
    [4, 0.5, 6000],
    [30, 0, 30_000],
  ])('attempt %i with jitter %f waits %i ms (base 1 s, cap 60 s)', (attempt, u, want) => {
    expect(backoffMs(attempt, u, 1000, 60_000)).toBe(want);
  });
});

describe('merchant webhooks', () => {
  let database: Database;
  let h: LedgerHarness;
  let n = 0;
  const register = async (clientId: string, url = 'https://shop.example/hooks') => {
    const r = await h.admin('POST', `/admin/v1/clients/${clientId}/webhooks`, { url });
    expect(r.status).toBe(201);
    return body(r);
  };
  const customer = (limit = 10_000) => {
    const s = subject(`hooks-${n++}`);
    h.decisions.set(s, decision(`dec-h${n}`, s, limit));
    return s;
  };
  const hold = async (clientId: string, s: string, amountMinor: number, extra: Json = {}, consentId?: string) => {
    const r = await h.merchant(clientId, 'POST', '/v1/authorizations', { consentToken: h.token(clientId, s, consentId), amountMinor, currency: 'CNY', merchantReference: 'ord-9', ...extra });
    expect(r.status).toBe(201);
    return body(r);
  };
  const log = async (q = '') => (await body(await h.admin('GET', `/admin/v1/webhook-deliveries${q}`))).deliveries as Json[];

  beforeAll(async () => {
    database = await migratedPglite();
    h = await ledgerHarness(database, { baseBackoffMs: 1000, maxBackoffMs: 60_000, maxAttempts: 3 });
    for (const id of ['mch-a', 'mch-b', 'mch-c', 'mch-full', 'mch-revoked']) await h.registerClient(id);
  });
  afterAll(async () => database.close());

  it('registers endpoints: secret shown once, bounded URLs, known clients, at most 5', async () => {
    const e = await register('mch-a');
    expect(e.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(e).toMatchObject({ clientId: 'mch-a', url: 'https://shop.example/hooks', active: true });
    const listed = (await body(await h.admin('GET', '/admin/v1/clients/mch-a/webhooks'))).endpoints as Json[];
    expect(listed.map((x) => x.id)).toEqual([e.id]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    for (const url of ['ftp://shop.example/x', 'https://user:pw@shop.example/x', 'https://shop.example/x#frag', '/relative', 'javascript:alert(1)', `https://shop.example/${'a'.repeat(2100)}`]) {
      const r = await h.admin('POST', '/admin/v1/clients/mch-a/webhooks', { url });
      expect([url.slice(0, 30), r.status, (await body(r)).code]).toEqual([url.slice(0, 30), 400, 'validation-failed']);
    }
    const unknown = await h.admin('POST', '/admin/v1/clients/mch-nobody/webhooks', { url: 'https://x.example/' });
    expect([unknown.status, (await body(unknown)).code]).toEqual([404, 'client-not-found']);
    for (let i = 0; i < 5; i++) await register('mch-full', `https://full.example/${i}`);
    expect((await body(await h.admin('POST', '/admin/v1/clients/mch-full/webhooks', { url: 'https://full.example/6' }))).code).toBe('webhook-endpoint-limit');
    expect((await h.app.request('/admin/v1/clients/mch-a/webhooks')).status).toBe(401);
    expect((await h.app.request('/admin/v1/webhook-deliveries')).status).toBe(401);
  });

  it('delivers authorization.expired signed, verifiable with the endpoint secret', async () => {
    const e = await register('mch-b', 'https://b.example/hooks');
    const s = customer();
    const a = await hold('mch-b', s, 1234, { expiresIn: 60 });
    h.clock.t += 61_000;
    await h.ledger.service.expireDue();
    h.hooks.received.length = 0;
    expect(await h.ledger.webhooks.deliverDue()).toBe(1);
    const [req] = h.hooks.received;
    expect(req!.url).toBe('https://b.example/hooks');
    const headers = { id: req!.headers['webhook-id']!, timestamp: req!.headers['webhook-timestamp']!, signature: req!.headers['webhook-signature']! };
    expect(Number(headers.timestamp)).toBe(Math.floor(h.clock.t / 1000));
    expect(verifyWebhook(e.secret, headers, req!.body, Math.floor(h.clock.t / 1000))).toBe(true);
    expect(verifyWebhook(e.secret, headers, req!.body.replace('1234', '9999'), Math.floor(h.clock.t / 1000))).toBe(false);
    expect(verifyWebhook(e.secret, headers, req!.body, Math.floor(h.clock.t / 1000) + 301)).toBe(false);
    expect(JSON.parse(req!.body)).toMatchObject({ type: 'authorization.expired', data: { authorizationId: a.id, merchantReference: 'ord-9', amountMinor: 1234, currency: 'CNY', expiredAt: a.expiresAt } });
    const [d] = await log('?clientId=mch-b');
    expect(d).toMatchObject({ id: headers.id, state: 'delivered', attempts: 1, lastStatus: 200, eventType: 'authorization.expired' });
    h.clock.t = T0;
  });

  it('retries failed deliveries with exponential backoff and jitter, then gives up', async () => {
    await register('mch-c', 'https://c.example/hooks');
    const s = customer();
    await hold('mch-c', s, 100, { expiresIn: 60 });
    h.clock.t = T0 + 61_000;
    await h.ledger.service.expireDue();
    h.hooks.script.push(500, 'error');
    await h.ledger.webhooks.deliverDue();
    let [d] = await log('?clientId=mch-c');
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500, lastError: 'the endpoint answered 500' });
    const wait1 = Date.parse(d!.nextAttemptAt) - h.clock.t;
    expect(wait1).toBeGreaterThanOrEqual(500);
    expect(wait1).toBeLessThan(1000);
    expect(await h.ledger.webhooks.deliverDue()).toBe(0);
    h.clock.t += wait1;
    await h.ledger.webhooks.deliverDue();
    [d] = await log('?clientId=mch-c');
    expect(d).toMatchObject({ state: 'pending', attempts: 2, lastStatus: null });
    expect(d!.lastError).toContain('ECONNREFUSED');
    const wait2 = Date.parse(d!.nextAttemptAt) - h.clock.t;
    expect(wait2).toBeGreaterThanOrEqual(1000);
    expect(wait2).toBeLessThan(2000);
    h.clock.t += wait2;
    h.hooks.script.push(503);
    await h.ledger.webhooks.deliverDue();
    [d] = await log('?clientId=mch-c');
    expect(d).toMatchObject({ state: 'failed', attempts: 3, lastStatus: 503, nextAttemptAt: null });
    expect((await log('?clientId=mch-c&state=failed')).length).toBe(1);
    expect((await h.admin('GET', '/admin/v1/webhook-deliveries?state=bogus')).status).toBe(400);
    h.clock.t = T0;
  });

  it('sends line.frozen and limit.changed to merchants of the customer while their consent lasts', async () => {
    const s = customer(10_000);
    await hold('mch-a', s, 100);
    await hold('mch-b', s, 100, {}, 'cns-b-withdrawn');
    h.decisions.set(s, decision('dec-frozen', s, 10_000, 'frozen'));
    expect(await h.ledger.service.watchLines()).toBeGreaterThanOrEqual(1);
    h.decisions.set(s, decision('dec-raised', s, 20_000, 'active'));
    h.consents.set('cns-b-withdrawn', 'withdrawn');
    await h.ledger.service.watchLines();
    expect(await h.ledger.service.watchLines()).toBe(0);
    h.hooks.received.length = 0;
    await h.ledger.webhooks.deliverDue();
    const sent = h.hooks.received.map((r) => JSON.parse(r.body) as Json).filter((p) => p.data.subject === s);
    expect(sent.map((p) => p.type)).toEqual(['line.frozen', 'limit.changed']);
    expect(sent[1]!.data).toMatchObject({ status: 'active', limitMinor: 20_000, previousLimitMinor: 10_000, previousStatus: 'frozen', decisionId: 'dec-raised' });
    const b = (await log('?clientId=mch-b')).filter((d) => d.eventType !== 'authorization.expired');
    expect(b.map((d) => d.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('a hold notices a changed decision on the spot (limit.changed without the watch job)', async () => {
    const s = customer(10_000);
    await hold('mch-a', s, 100);
    h.decisions.set(s, decision('dec-spot', s, 15_000, 'active'));
    await hold('mch-a', s, 100);
    h.hooks.received.length = 0;
    await h.ledger.webhooks.deliverDue();
    const sent = h.hooks.received.map((r) => JSON.parse(r.body) as Json).filter((p) => p.data.subject === s);
    expect(sent.map((p) => [p.type, p.data.limitMinor, p.data.previousLimitMinor])).toEqual([['limit.changed', 15_000, 10_000]]);
    h.decisions.set(s, decision('dec-spot-frozen', s, 15_000, 'frozen'));
    const refused = await h.merchant('mch-a', 'POST', '/v1/authorizations', { consentToken: h.token('mch-a', s), amountMinor: 1, currency: 'CNY', merchantReference: 'x' });
    expect((await body(refused)).code).toBe('line-frozen');
    h.hooks.received.length = 0;
    await h.ledger.webhooks.deliverDue();
    expect(h.hooks.received.map((r) => JSON.parse(r.body) as Json).filter((p) => p.data.subject === s).map((p) => p.type)).toEqual(['line.frozen']);
  });

  it('cancels deliveries to a revoked client', async () => {
    await register('mch-revoked', 'https://r.example/hooks');
    const s = customer();
    await hold('mch-revoked', s, 100, { expiresIn: 60 });
    h.clock.t = T0 + 61_000;
    await h.ledger.service.expireDue();
    await database.db.update(merchantClients).set({ revokedAt: new Date(h.clock.t) }).where(eq(merchantClients.id, 'mch-revoked'));
    h.hooks.received.length = 0;
    await h.ledger.webhooks.deliverDue();
    expect(h.hooks.received.filter((r) => r.url.startsWith('https://r.example'))).toEqual([]);
    expect((await log('?clientId=mch-revoked')).map((d) => [d.state, d.lastError])).toEqual([['cancelled', 'the merchant client is revoked']]);
    h.clock.t = T0;
  });

  it('disabling an endpoint cancels its pending deliveries', async () => {
    const [e] = (await body(await h.admin('GET', '/admin/v1/clients/mch-a/webhooks'))).endpoints as Json[];
    const s = customer();
    await hold('mch-a', s, 100, { expiresIn: 60 });
    h.clock.t = T0 + 61_000;
    await h.ledger.service.expireDue();
    expect((await h.admin('DELETE', `/admin/v1/clients/mch-a/webhooks/${e!.id}`)).status).toBe(204);
    expect((await h.admin('DELETE', `/admin/v1/clients/mch-a/webhooks/${e!.id}`)).status).toBe(404);
    expect((await h.admin('DELETE', `/admin/v1/clients/mch-b/webhooks/${e!.id}`)).status).toBe(404);
    expect((await log('?clientId=mch-a&state=pending')).length).toBe(0);
    h.clock.t = T0;
  });
});
