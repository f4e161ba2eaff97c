import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMerchantNode, type MerchantE2e } from './harness';

describe('holds racing for one joint limit through the real HTTP server', { timeout: 180_000 }, () => {
  let e: MerchantE2e;
  beforeAll(async () => {
    e = await startMerchantNode();
  });
  afterAll(async () => e?.close());

  it('200 concurrent holds from 8 merchants never overspend; the accepted sum fills the limit exactly', async () => {
    const phone = '+8613900239900';
    const limit = (await e.decide(phone)).limit.jointLimitMinor;
    expect(limit).toBeGreaterThan(0);
    const amount = Math.ceil(limit / 100); // about 100 of the 200 fit
    const fits = Math.floor(limit / amount);
    const merchants = await Promise.all(Array.from({ length: 8 }, () => e.merchant()));
    const tokens = await Promise.all(merchants.map(async (m) => (await e.consent(phone, m.id)).consentToken));
    await Promise.all(merchants.map((m) => m.client.accessToken()));

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const m = merchants[i % merchants.length]!;
        return m.client.api.POST('/v1/authorizations', {
          params: { header: { 'Idempotency-Key': randomUUID() } },
          body: { consentToken: tokens[i % merchants.length]!, amountMinor: amount, currency: 'CNY', merchantReference: `race-${i}` },
        });
      }),
    );
    const accepted = results.filter((r) => r.response.status === 201);
    const refused = results.filter((r) => r.response.status === 409);
    expect(accepted.length + refused.length).toBe(200);
    expect(refused.every((r) => (r.error as { code?: string }).code === 'insufficient-available')).toBe(true);
    const sum = accepted.reduce((s, r) => s + r.data!.amountMinor, 0);
    expect(sum).toBeLessThanOrEqual(limit);
    expect(accepted).toHaveLength(fits);

    const q = await merchants[0]!.client.api.POST('/v1/joint-limits/query', { body: { consentToken: tokens[0]! } });
    expect(q.data!.availableMinor).toBe(limit - sum);
  });

  it('replays a retried hold with its Idempotency-Key instead of holding twice', async () => {
    const phone = '+8613900239901';
    const limit = (await e.decide(phone)).limit.jointLimitMinor;
    const m = await e.merchant();
    const { consentToken } = await e.consent(phone, m.id);
    const key = randomUUID();
    const body = { consentToken, amountMinor: 1, currency: 'CNY', merchantReference: 'retry-1' };
    const [a, b] = await Promise.all([0, 1].map(() => m.client.api.POST('/v1/authorizations', { params: { header: { 'Idempotency-Key': key } }, body })));
    const statuses = [a!.response.status, b!.response.status].sort();
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    const retry = await m.client.api.POST('/v1/authorizations', { params: { header: { 'Idempotency-Key': key } }, body });
    expect(retry.response.status).toBe(201);
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    const q = await m.client.api.POST('/v1/joint-limits/query', { body: { consentToken } });
    expect(q.data!.availableMinor).toBe(limit - 1);
    const missing = await m.client.api.POST('/v1/authorizations', { params: { header: {} }, body: { ...body, merchantReference: 'no-key' } });
    expect(missing.response.status).toBe(400);
    expect(missing.error).toMatchObject({ code: 'idempotency-key-required' });
  });
});
