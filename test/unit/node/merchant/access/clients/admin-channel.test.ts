import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClientAdminChannel } from '../../../../../../node/merchant/access/clients/admin-channel';
import { createMerchantHarness, type MerchantHarness } from '../../harness';

describe('clients admin channel while the node is running', () => {
  let h: MerchantHarness;
  beforeAll(async () => {
    h = await createMerchantHarness();
  });
  afterAll(async () => h.close());

  it('goes through the admin API (the embedded database is held by the node)', async () => {
    const config = { ...h.node.config, http: { ...h.node.config.http, host: '127.0.0.1', port: 7499 } };
    const seen: string[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      seen.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      return h.node.app.request(url.pathname + url.search, init);
    }) as typeof fetch;
    const ch = await openClientAdminChannel(config, { fetch: fetchImpl });
    expect(ch.via).toBe('api');
    const created = await ch.create({ name: 'Via API', scopes: ['limits:read'] });
    expect(created.clientSecret).toMatch(/^cns_/);
    expect((await ch.list()).map((c) => c.id)).toContain(created.client.id);
    const revoked = await ch.revoke(created.client.id);
    expect(revoked).toMatchObject({ ok: true, client: { status: 'revoked' } });
    expect(await ch.rotate(created.client.id)).toMatchObject({ ok: false, code: 'client-revoked' });
    expect(await ch.revoke(`mch_${'0'.repeat(32)}`)).toMatchObject({ ok: false, code: 'client-not-found' });
    await ch.close();
    expect(seen).toContain('GET /healthz');
    expect(seen).toContain('POST /admin/v1/clients');
  });
});
