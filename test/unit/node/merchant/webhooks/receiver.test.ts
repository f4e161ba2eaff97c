/** Webhook delivery over real HTTP to a receiver on 127.0.0.1, verified with the code from docs/api-webhooks.md. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../../node/store/database';
import { migratedPglite } from '../../../../support/pglite';
import { decision, ledgerHarness, subject, T0, type LedgerHarness } from '../ledger/harness';

/** The merchant-side verification exactly as docs/api-webhooks.md §3 shows it. */
function verifyConsortiumWebhook(secret: string, headers: Headers, rawBody: string, now = Date.now()): boolean {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, sig] = entry.split(',', 2);
    const got = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

describe('webhook delivery to a local HTTP receiver', () => {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 204).end();
    });
  });
  let database: Database;
  let h: LedgerHarness;
  let url = '';

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    database = await migratedPglite();
    h = await ledgerHarness(database, { baseBackoffMs: 1000 }, globalThis.fetch);
    await h.registerClient('mch-live');
  });
  afterAll(async () => {
    server.close();
    await database.close();
  });

  it('posts a signed event, retries after a 500, and the documented verification accepts it', async () => {
    const reg = await h.admin('POST', '/admin/v1/clients/mch-live/webhooks', { url });
    const { secret } = (await reg.json()) as { secret: string };
    const s = subject('live');
    h.decisions.set(s, decision('dec-live', s, 5000));
    const hold = await h.merchant('mch-live', 'POST', '/v1/authorizations', { consentToken: h.token('mch-live', s), amountMinor: 700, currency: 'CNY', merchantReference: 'live-1', expiresIn: 60 });
    expect(hold.status).toBe(201);
    h.clock.t = T0 + 61_000;
    await h.ledger.service.expireDue();
    statuses.push(500);
    await h.ledger.webhooks.deliverDue();
    h.clock.t += 1000;
    await h.ledger.webhooks.deliverDue();
    expect(got).toHaveLength(2);
    expect(got[0]!.headers['webhook-id']).toBe(got[1]!.headers['webhook-id']);
    const last = got[1]!;
    const headers = new Headers(Object.entries(last.headers).map(([k, v]) => [k, String(v)] as [string, string]));
    expect(verifyConsortiumWebhook(secret, headers, last.body, h.clock.t)).toBe(true);
    expect(verifyConsortiumWebhook(secret, headers, last.body.replace('700', '701'), h.clock.t)).toBe(false);
    expect(JSON.parse(last.body)).toMatchObject({ type: 'authorization.expired', data: { amountMinor: 700, merchantReference: 'live-1' } });
    const log = (await (await h.admin('GET', '/admin/v1/webhook-deliveries?clientId=mch-live')).json()) as { deliveries: { state: string; attempts: number; lastStatus: number }[] };
    expect(log.deliveries[0]).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 204 });
  });
});
