/**
 * A local stand-in for the external score providers (issue 6 §7: "or the local mock"): one hono app
 * that acts as the Alipay gateway (`POST /gateway.do`) and the WeChat Pay API
 * (`GET /v3/payscore/user-service-state`), plus the `externalScores` configuration that points a node
 * at it. For demos and `consortium-node providers test`; never for production traffic.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ExternalScoresConfigInput } from '../../../adapters/external/index';
import { createAlipayMock, type MockHttpAnswer } from './alipay';
import { generateMockProviderKeys, type MockProviderKeys } from './keys';
import type { MockOutcome } from './outcomes';
import { createWechatPayMock } from './wechatpay';

/** The Alipay app id the mock gateway accepts. */
export const MOCK_ALIPAY_APP_ID = '2021000000000001';
/** The WeChat Pay merchant id the mock API accepts. */
export const MOCK_WECHAT_MCHID = '1230000109';
/** The appid of the mock Pay Score service. */
export const MOCK_WECHAT_APPID = 'wxd678efh567hg6787';
/** The mock Pay Score service id. */
export const MOCK_WECHAT_SERVICE_ID = '500001';

/** Settings of the mock. */
export interface MockGatewayOptions {
  keys: MockProviderKeys;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** Scripted outcomes by auth_token, cert_no or openid (others are derived from a digest). */
  outcomes?: Readonly<Record<string, MockOutcome>>;
}

const MAX_BODY = 64 * 1024;
const send = (a: MockHttpAnswer) => new Response(a.body, { status: a.status as ContentfulStatusCode, headers: a.headers });

/** The mock as a hono app (use `app.fetch` directly, or `startMockGateway` to listen). */
export function createMockGatewayApp(opts: MockGatewayOptions): Hono {
  const alipay = createAlipayMock({ appId: MOCK_ALIPAY_APP_ID, appPublicKey: opts.keys.app.publicKey, alipayPrivateKey: opts.keys.alipay.privateKey, now: opts.now, ...(opts.outcomes ? { outcomes: opts.outcomes } : {}) });
  const wechat = createWechatPayMock({
    mchid: MOCK_WECHAT_MCHID,
    merchantSerialNo: opts.keys.merchantSerialNo,
    merchantPublicKey: opts.keys.merchant.publicKey,
    platformSerial: opts.keys.platformSerial,
    platformPrivateKey: opts.keys.platform.privateKey,
    now: opts.now,
    random: opts.random,
    ...(opts.outcomes ? { outcomes: opts.outcomes } : {}),
  });
  const app = new Hono();
  app.post('/gateway.do', async (c) => {
    const body = await c.req.text();
    if (body.length > MAX_BODY) return c.text('request too large', 413);
    return send(alipay.handle(body));
  });
  app.get('/v3/payscore/user-service-state', (c) => {
    const url = new URL(c.req.url);
    return send(wechat.handle('GET', `${url.pathname}${url.search}`, c.req.header('authorization')));
  });
  return app;
}

/**
 * The `externalScores` section for a node using the mock at `baseUrl` (e.g. `http://127.0.0.1:7499`):
 * providers `zhima` (score), `zhima-brief` (admittance at 600) and `payscore`, keys inline.
 */
export function mockExternalScoresConfig(keys: MockProviderKeys, baseUrl: string): ExternalScoresConfigInput {
  const base = baseUrl.replace(/\/+$/, '');
  const zhima = { type: 'zhima' as const, appId: MOCK_ALIPAY_APP_ID, appPrivateKey: { pem: keys.app.privatePem }, alipayPublicKey: { pem: keys.alipay.publicPem }, gatewayUrl: `${base}/gateway.do`, timeoutMs: 2_000 };
  return {
    providers: [
      { ...zhima, name: 'zhima', product: 'score' },
      { ...zhima, name: 'zhima-brief', product: 'brief', admittanceScore: 600 },
      {
        type: 'wechatpay-score',
        name: 'payscore',
        mchid: MOCK_WECHAT_MCHID,
        appid: MOCK_WECHAT_APPID,
        serviceId: MOCK_WECHAT_SERVICE_ID,
        merchantSerialNo: keys.merchantSerialNo,
        merchantPrivateKey: { pem: keys.merchant.privatePem },
        platformKeys: { [keys.platformSerial]: { pem: keys.platform.publicPem } },
        baseUrl: base,
        timeoutMs: 2_000,
      },
    ],
  };
}

/** A mock listening on a socket. */
export interface RunningMockGateway {
  url: string;
  keys: MockProviderKeys;
  /** The `externalScores` section pointing at this mock. */
  config: ExternalScoresConfigInput;
  stop(): Promise<void>;
}

/** Generates keys (unless given) and serves the mock on `host:port` (default 127.0.0.1, a free port). */
export async function startMockGateway(opts: Partial<MockGatewayOptions> & { host?: string; port?: number } = {}): Promise<RunningMockGateway> {
  const keys = opts.keys ?? generateMockProviderKeys();
  const app = createMockGatewayApp({
    keys,
    now: opts.now ?? (() => new Date()),
    random: opts.random ?? ((n) => new Uint8Array(globalThis.crypto.getRandomValues(new Uint8Array(n)))),
    ...(opts.outcomes ? { outcomes: opts.outcomes } : {}),
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: opts.host ?? '127.0.0.1', port: opts.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url,
    keys,
    config: mockExternalScoresConfig(keys, url),
    stop: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
