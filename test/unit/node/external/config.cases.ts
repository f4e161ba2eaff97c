import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../node/config/errors';
import { mockExternalScoresConfig } from '../../../../node/external/mock/index';
import { caller, MOCK_URL, mockKeys, RID, sharedFixture } from './support';

type Fixture = Awaited<ReturnType<typeof sharedFixture>>;

/** The mock configuration with one provider's settings changed. */
function withProvider(index: number, change: Record<string, unknown>) {
  const cfg = mockExternalScoresConfig(mockKeys(), MOCK_URL);
  return { providers: cfg.providers!.map((p, i) => (i === index ? { ...p, ...change } : p)) };
}

/** Start-up validation and degraded operation, on the file's shared fixture. */
export function describeConfigCases() {
describe('external scores configuration and degraded operation', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await sharedFixture();
  });

  it.each([
    ['a non-numeric Alipay app id', { externalScores: withProvider(0, { appId: 'abc' }) }, 'node.json externalScores.providers.0.appId'],
    ['brief without admittanceScore', { externalScores: withProvider(1, { admittanceScore: undefined }) }, 'node.json externalScores.providers.1.admittanceScore'],
    ['an unknown setting', { externalScores: { providers: [], extra: true } }, 'node.json externalScores'],
    ['a key file that does not exist', { externalScores: withProvider(2, { merchantPrivateKey: { file: 'keys/missing.pem' } }) }, 'node.json externalScores.providers.2.merchantPrivateKey'],
    ['text that is not a key', { externalScores: withProvider(0, { alipayPublicKey: { pem: 'not a key' } }) }, 'node.json externalScores.providers.0.alipayPublicKey'],
  ])('rejects %s at start, naming the setting', async (_name, change, setting) => {
    const err = await fx.build({ ...fx.config, ...change }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe(setting);
    expect((err as ConfigError).message).not.toContain('PRIVATE KEY');
  });

  it('reads key files relative to the node directory', async () => {
    mkdirSync(join(fx.dir, 'keys'), { recursive: true });
    writeFileSync(join(fx.dir, 'keys', 'app.pem'), mockKeys().app.privatePem, { mode: 0o600 });
    const mod = await fx.build({ ...fx.config, externalScores: withProvider(0, { appPrivateKey: { file: 'keys/app.pem' } }) });
    expect(mod.service?.providerNames()).toEqual(['zhima', 'zhima-brief', 'payscore']);
    expect(await mod.service?.testProvider('zhima')).toMatchObject({ ok: true, code: 'signature_verified' });
    await mod.close();
  });

  it('mounts routes that explain the missing configuration when no provider is configured', async () => {
    for (const externalScores of [undefined, { providers: [] }]) {
      const mod = await fx.build({ ...fx.config, externalScores });
      expect(mod.service).toBeNull();
      const call = caller(mod);
      for (const [method, path, body] of [
        ['GET', '/admin/v1/external-scores/providers', undefined],
        ['POST', '/admin/v1/external-scores/fetch', { provider: 'zhima', subject: { id: RID } }],
      ] as const) {
        const res = await call(method, path, body);
        expect(res.status).toBe(409);
        const p = (await res.json()) as { code: string; detail: string };
        expect(p.code).toBe('external-scores-not-configured');
        expect(p.detail).toContain('externalScores');
      }
      await mod.close();
    }
  });

  it('answers 503 provider-unavailable with Retry-After, then opens the circuit without calling', async () => {
    let calls = 0;
    const down = fx;
    const busy = (async () => {
      calls++;
      return new Response('busy', { status: 503 });
    }) as typeof fetch;
    const cfg = { ...fx.config, externalScores: withProvider(0, { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, breaker: { failureThreshold: 2, halfOpenAfterMs: 45_000 } }) };
    {
      const mod = await down.build(cfg, busy);
      const call = caller(mod);
      await down.grant('zhima');
      const fetchIt = () => call('POST', '/admin/v1/external-scores/fetch', { provider: 'zhima', subject: { id: RID, alipayAuthToken: 'tok_x' }, bypassCache: true });
      for (let i = 0; i < 2; i++) {
        const res = await fetchIt();
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('2');
        expect(await res.json()).toMatchObject({ code: 'provider-unavailable', cause: 'http_status' });
      }
      expect(calls).toBe(2);
      const open = await fetchIt();
      expect(open.status).toBe(503);
      expect(open.headers.get('retry-after')).toBe('45');
      expect(await open.json()).toMatchObject({ code: 'provider-unavailable', cause: 'circuit_open' });
      expect(calls).toBe(2);
      const list = (await (await call('GET', '/admin/v1/external-scores/providers')).json()) as { providers: { name: string; breaker: string }[] };
      expect(list.providers.find((p) => p.name === 'zhima')?.breaker).toBe('open');
      down.time.advance(45_000);
      expect(mod.service?.breakerState('zhima')).toBe('half-open');
      await mod.close();
    }
  });
});
}
