import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createZhimaProvider } from '../../../../adapters/external/alipay/zhima';
import { ALIPAY_GATEWAY_URL, createHttpTransport } from '../../../../adapters/external/index';
import { alipayGateway, type GatewayReply } from '../../../fixtures/external/alipay-gateway';
import { harness, testPolicy } from '../../../fixtures/external/harness';
import { rsaKeyPair, testClock } from '../../../fixtures/external/keys';

const app = rsaKeyPair();
const alipay = rsaKeyPair();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SUBJECT = { pseudonym: 'psn-S', alipayAuthToken: 'authusrS' };

function setup(reply: (n: number) => GatewayReply, policy = testPolicy()) {
  const clock = testClock();
  let n = 0;
  const gw = alipayGateway({ url: ALIPAY_GATEWAY_URL, appId: '2021000000000002', appPublicKey: app.publicKey, alipayPrivateKey: alipay.privateKey, reply: () => reply(n++) });
  server.use(gw.handler);
  const provider = createZhimaProvider(
    { name: 'zhima', appId: '2021000000000002', product: 'score', productCode: 'w1010100100000000001', appPrivateKey: app.privateKey, alipayPublicKey: alipay.publicKey, gatewayUrl: ALIPAY_GATEWAY_URL },
    { transport: createHttpTransport(fetch), now: clock.now },
  );
  return { ...harness([{ provider, policy }], clock), gw, clock };
}

const ok = (score: string): GatewayReply => ({ member: { biz_no: `ZM-${score}`, zm_score: score } });

describe('consent gate', () => {
  it('makes no call without consent, and asks for purpose external-score:<provider>', async () => {
    const t = setup(() => ok('700'));
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r).toMatchObject({ ok: false, code: 'consent_missing', cached: false });
    expect(t.consentCalls).toEqual(['psn-S|external-score:zhima']);
    expect(t.gw.hits).toHaveLength(0);
  });

  it('after withdrawal neither the provider nor the cache is used', async () => {
    const t = setup(() => ok('700'));
    t.grant('psn-S', 'zhima');
    expect((await t.service.fetchScore('zhima', SUBJECT)).ok).toBe(true);
    t.withdraw('psn-S', 'zhima');
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r).toMatchObject({ ok: false, code: 'consent_missing' });
    expect(r.ok ? '' : r.message).toMatch(/withdrawn/);
    expect(t.gw.hits).toHaveLength(1);
  });

  it('unknown provider is a returned value', async () => {
    const t = setup(() => ok('700'));
    expect(await t.service.fetchScore('nope', SUBJECT)).toMatchObject({ ok: false, code: 'unknown_provider' });
  });
});

describe('cache', () => {
  it('serves a hit within the lifetime and asks again after expiry', async () => {
    const t = setup((n) => ok(String(700 + n)), testPolicy({ cacheTtlSeconds: 60 }));
    t.grant('psn-S', 'zhima');
    const a = await t.service.fetchScore('zhima', SUBJECT);
    t.clock.advance(59_000);
    const b = await t.service.fetchScore('zhima', SUBJECT);
    expect(b).toMatchObject({ ok: true, cached: true });
    expect(b.ok && b.score.score).toBe(a.ok && a.score.score);
    t.clock.advance(1_000);
    const c = await t.service.fetchScore('zhima', SUBJECT);
    expect(c).toMatchObject({ ok: true, cached: false });
    expect(c.ok && c.score.score).toBe(701);
    expect(t.gw.hits).toHaveLength(2);
    expect(t.saved).toHaveLength(2);
  });

  it('bypassCache asks the provider again', async () => {
    const t = setup((n) => ok(String(700 + n)));
    t.grant('psn-S', 'zhima');
    await t.service.fetchScore('zhima', SUBJECT);
    const r = await t.service.fetchScore('zhima', SUBJECT, { bypassCache: true });
    expect(r.ok && r.score.score).toBe(701);
  });
});

describe('resilience', () => {
  it('5xx failures open the breaker, which half-opens after the wait and closes on success', async () => {
    let down = true;
    const t = setup(() => (down ? { status: 503 } : ok('720')), testPolicy({ retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 200 } }));
    t.grant('psn-S', 'zhima');
    for (let i = 0; i < 3; i++) {
      expect(await t.service.fetchScore('zhima', SUBJECT)).toMatchObject({ ok: false, code: 'unavailable', cause: 'http_status' });
    }
    expect(t.service.breakerState('zhima')).toBe('open');
    const fast = await t.service.fetchScore('zhima', SUBJECT);
    expect(fast).toMatchObject({ ok: false, code: 'unavailable', cause: 'circuit_open' });
    expect(t.gw.hits).toHaveLength(3);

    t.clock.advance(30_000);
    expect(t.service.breakerState('zhima')).toBe('half-open');
    // A failed trial re-opens for another full wait.
    expect(await t.service.fetchScore('zhima', SUBJECT)).toMatchObject({ code: 'unavailable', cause: 'http_status' });
    expect(t.service.breakerState('zhima')).toBe('open');

    t.clock.advance(30_000);
    down = false;
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r.ok && r.score.score).toBe(720);
    expect(t.service.breakerState('zhima')).toBe('closed');
    expect(t.gw.hits).toHaveLength(5);
  });

  it('a hanging provider times out, is retried with the same transaction_id, then reported unavailable', async () => {
    const t = setup(() => ({ hang: true }), testPolicy({ retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 200 } }));
    t.grant('psn-S', 'zhima');
    const r = await t.service.fetchScore('zhima', SUBJECT);
    expect(r).toMatchObject({ ok: false, code: 'unavailable', cause: 'timeout', cached: false });
    expect(t.gw.hits).toHaveLength(2);
    expect(t.gw.hits[0]!.biz.transaction_id).toBe(t.gw.hits[1]!.biz.transaction_id);
    expect(t.saved).toHaveLength(0);
  });

  it('a network error is unavailable, not an exception', async () => {
    const t = setup(() => ok('700'));
    server.resetHandlers();
    const { http, HttpResponse } = await import('msw');
    server.use(http.post(ALIPAY_GATEWAY_URL, () => HttpResponse.error()));
    t.grant('psn-S', 'zhima');
    expect(await t.service.fetchScore('zhima', SUBJECT)).toMatchObject({ ok: false, code: 'unavailable', cause: 'network' });
  });
});
