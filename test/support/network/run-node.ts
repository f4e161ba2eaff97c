/**
 * A test node process for the network e2e tests: composes a database (PGlite in DIR, or DATABASE_URL),
 * migrations and `createNetwork` like `start` does, with deterministic test keys, and listens on
 * 127.0.0.1:PORT. Test-only routes: `POST /test/append` {subject, labels[]} appends signals built by the
 * fixtures; `GET /test/head` the size of the latest signed checkpoint; `GET /test/state` reports the log
 * size, held signal counts and peer status; `GET /test/evidence/:id` the misbehaviour evidence about a
 * peer; `GET /test/held/:issuer` the ids of the signals held from an issuer, in log order.
 * SERVE_DELAY_MS delays every entry bundle served to peers.
 *
 * Usage: node --import tsx test/support/network/run-node.ts MEMBER_ID DIR ROSTER_FILE PORT
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { decodeRoster, ready } from '../../../protocol';
import { createApp } from '../../../node/http/app';
import { createMetrics } from '../../../node/observability/metrics';
import { openDatabase } from '../../../node/store/database';
import { runMigrations } from '../../../node/store/migrate';
import { createNetwork } from '../../../node/network';
import { mutableRoster, testConfig } from './harness';
import { testNodeKeys, testSignal } from './fixtures';

const [memberId, dir, rosterFile, portArg] = process.argv.slice(2);
if (!memberId || !dir || !rosterFile || !portArg) {
  process.stderr.write('usage: run-node.ts MEMBER_ID DIR ROSTER_FILE PORT\n');
  process.exit(2);
}
await ready();
const keys = testNodeKeys(memberId);
const roster = mutableRoster(decodeRoster(new Uint8Array(readFileSync(rosterFile))));
const database = await openDatabase({ url: process.env.DATABASE_URL ?? null, dataDir: `${dir}/pgdata` });
await runMigrations(database);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const metrics = createMetrics({ defaultMetrics: false });
const network = createNetwork({
  config: testConfig(memberId),
  keys,
  db: database.db,
  logger,
  metrics,
  now: () => new Date(),
  random: (n) => new Uint8Array(randomBytes(n)),
  fetch: globalThis.fetch,
  roster,
  pull: { intervalMs: 150, maxBackoffMs: 1000 },
  checkpointIntervalMs: 200,
});

const testRoutes = new Hono();
testRoutes.post('/test/append', async (c) => {
  const { subject, labels } = (await c.req.json()) as { subject: string; labels: string[] };
  const res = await network.log.append(labels.map((l) => testSignal(memberId, keys, subject, l, { issuedAt: new Date('2026-10-01T00:00:00Z') })));
  return c.json(res);
});
testRoutes.get('/test/head', async (c) => {
  const note = await network.log.latestCheckpoint();
  return c.json({ checkpointSize: note ? Number(note.split('\n')[1]) : 0 });
});
testRoutes.get('/test/evidence/:id', async (c) => c.json(await network.peers.evidence(c.req.param('id'))));
testRoutes.get('/test/held/:issuer', async (c) => {
  const r = await database.db.execute(sql`select signal_id from held_signals where issuer = ${c.req.param('issuer')} order by log_index`);
  return c.json((r as unknown as { rows: { signal_id: string }[] }).rows.map((x) => x.signal_id));
});
testRoutes.get('/test/state', async (c) => {
  const held = await database.db.execute(sql`select issuer, count(*)::int as n, count(distinct log_index)::int as d from held_signals group by issuer order by issuer`);
  const ids = await database.db.execute(sql`select signal_id from log_entries order by idx`);
  const rows = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;
  return c.json({
    held: Object.fromEntries(rows(held).map((r) => [r.issuer, { count: r.n, distinct: r.d }])),
    ownIds: rows(ids).map((r) => r.signal_id),
    peers: await network.peers.status(),
  });
});

// SERVE_DELAY_MS slows every entry bundle served to peers (e2e tests kill a node while a peer pulls from it)
const serveDelayMs = Number(process.env.SERVE_DELAY_MS ?? 0);
const slowBundles = new Hono();
slowBundles.use('/peer/v1/log/tile/entries/*', async (_c, next) => {
  if (serveDelayMs > 0) await new Promise((r) => setTimeout(r, serveDelayMs));
  await next();
});

const app = createApp({
  logger,
  metrics,
  readiness: async () => ({ ready: true, checks: {} }),
  openapiText: '',
  bodyLimitBytes: 1024 * 1024,
  surfaces: [slowBundles, network.surface, testRoutes],
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(portArg) }, (info) => {
  network.start();
  process.stdout.write(`listening http://127.0.0.1:${info.port}\n`);
});
const stop = async () => {
  await network.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
