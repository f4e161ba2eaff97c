import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { decodeEntryBundle, TILE_WIDTH } from '../../../../../protocol';
import type { PeerEnv } from '../../../../../node/network/http/auth';
import { logRoutes } from '../../../../../node/network/http/log-routes';
import { createTileCache } from '../../../../../node/network/http/tile-cache';
import { createNetworkMetrics } from '../../../../../node/network/metrics';
import { readOwnEntries } from '../../../../../node/network/store/own-log';
import { createMetrics } from '../../../../../node/observability/metrics';
import { createTestConsortium, type TestConsortium } from '../../../../support/network/harness';
import { subjectValue, testSignal } from '../../../../support/network/fixtures';

describe('log routes: immutable full tiles served from the cache', { timeout: 60_000 }, () => {
  let net: TestConsortium;
  const total = TILE_WIDTH + 5;
  beforeAll(async () => {
    net = await createTestConsortium(['alpha', 'beta']);
    const a = net.member('alpha');
    await a.network.log.append(Array.from({ length: total }, (_, i) => testSignal('alpha', a.keys, subjectValue(`s${i % 7}`), `tile-${i}`)));
    await a.network.log.checkpointNow();
  });
  afterAll(async () => net?.close());

  function app() {
    const a = net.member('alpha');
    const tileCache = createTileCache(1024 * 1024);
    const served: [string, number, number][] = [];
    const queries: string[] = [];
    const db = new Proxy(a.database.db, {
      get(target, prop, receiver) {
        if (prop === 'select') queries.push('select');
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const routes = new Hono<PeerEnv>();
    routes.use('*', async (c, next) => {
      c.set('peer', 'beta');
      await next();
    });
    routes.route('/', logRoutes({ db, memberId: 'alpha', roster: a.roster, now: net.clock.now, metrics: createNetworkMetrics(createMetrics({ defaultMetrics: false })), tileCache, onEntriesServed: (p, f, t) => served.push([p, f, t]) }));
    return { routes, tileCache, served, queries };
  }

  it('serves a full entry bundle twice with identical bytes, the second time without a database read, and reports both', async () => {
    const { routes, tileCache, served, queries } = app();
    const first = await routes.request('/peer/v1/log/tile/entries/000');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toContain('immutable');
    const body = new Uint8Array(await first.arrayBuffer());
    expect(decodeEntryBundle(body)).toEqual(await readOwnEntries(net.member('alpha').database.db, 0, TILE_WIDTH));
    const reads = queries.length;
    expect(reads).toBeGreaterThan(0);
    const second = await routes.request('/peer/v1/log/tile/entries/000');
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(body);
    expect(queries.length).toBe(reads);
    expect(served).toEqual([['beta', 0, TILE_WIDTH], ['beta', 0, TILE_WIDTH]]);
    expect(tileCache.size).toBe(1);
  });

  it('caches full hash tiles but not partial ones, and still refuses tiles beyond the checkpoint', async () => {
    const { routes, tileCache, queries } = app();
    const full = new Uint8Array(await (await routes.request('/peer/v1/log/tile/0/000')).arrayBuffer());
    expect(full.byteLength).toBe(TILE_WIDTH * 32);
    const reads = queries.length;
    expect(new Uint8Array(await (await routes.request('/peer/v1/log/tile/0/000')).arrayBuffer())).toEqual(full);
    expect(queries.length).toBe(reads);
    const partial = await routes.request('/peer/v1/log/tile/0/001.p/5');
    expect(partial.status).toBe(200);
    expect(partial.headers.get('cache-control')).not.toContain('immutable');
    expect((await partial.arrayBuffer()).byteLength).toBe(5 * 32);
    expect((await routes.request('/peer/v1/log/tile/0/001.p/6')).status).toBe(404);
    expect((await routes.request('/peer/v1/log/tile/entries/001')).status).toBe(404);
    expect(tileCache.size).toBe(1);
  });
});
