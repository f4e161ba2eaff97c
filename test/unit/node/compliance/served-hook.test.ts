import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { PeerEnv } from '../../../../node/network/http/auth';
import { logRoutes } from '../../../../node/network/http/log-routes';
import { createNetworkMetrics } from '../../../../node/network/metrics';
import { createMetrics } from '../../../../node/observability/metrics';
import { createTestConsortium, type TestConsortium } from '../../../support/network/harness';
import { subjectValue, testSignal } from '../../../support/network/fixtures';

describe('peer pull served hook', { timeout: 60_000 }, () => {
  let net: TestConsortium;
  beforeAll(async () => {
    net = await createTestConsortium(['alpha', 'beta']);
    const a = net.member('alpha');
    await a.network.log.append([0, 1, 2].map((i) => testSignal('alpha', a.keys, subjectValue(`s${i}`), `served-${i}`)));
    await a.network.log.checkpointNow();
  });
  afterAll(async () => net?.close());

  it('reports each entry bundle served, with the calling peer and the entry range', async () => {
    const a = net.member('alpha');
    const served: [string, number, number][] = [];
    const app = new Hono<PeerEnv>();
    app.use('*', async (c, next) => {
      c.set('peer', 'beta');
      await next();
    });
    app.route('/', logRoutes({ db: a.database.db, memberId: 'alpha', roster: a.roster, now: net.clock.now, metrics: createNetworkMetrics(createMetrics({ defaultMetrics: false })), onEntriesServed: (p, f, t) => served.push([p, f, t]) }));
    expect((await app.request('/peer/v1/log/tile/entries/000.p/3')).status).toBe(200);
    expect((await app.request('/peer/v1/log/tile/0/000.p/3')).status).toBe(200);
    expect(served).toEqual([['beta', 0, 3]]);
  });
});
