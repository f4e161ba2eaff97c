import pino from 'pino';
import type { Hono } from 'hono';
import { ready, type RosterBody, type SignedRoster } from '../../../protocol';
import type { NodeConfig } from '../../../node/config/schema';
import { createApp } from '../../../node/http/app';
import type { NodeKeys } from '../../../node/keys/keyfile';
import { createMetrics, type Metrics } from '../../../node/observability/metrics';
import type { Database } from '../../../node/store/database';
import { migratedPglite } from '../pglite';
import { runMigrations } from '../../../node/store/migrate';
import { createNetwork } from '../../../node/network';
import type { Network, NetworkDeps, RosterSource } from '../../../node/network/types';
import { rosterMember, seededRandom, testNodeKeys, testRoster } from './fixtures';

/** A roster holder the test can replace (like `POST /admin/v1/roster` would). */
export interface MutableRoster extends RosterSource {
  set(signed: SignedRoster | null): void;
}

/** A {@link RosterSource} backed by a variable. */
export function mutableRoster(initial: SignedRoster | null): MutableRoster {
  let cur = initial;
  const listeners = new Set<(b: RosterBody) => void>();
  return {
    current: () => (cur ? { body: cur.body, signed: cur } : null),
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(signed) {
      cur = signed;
      if (signed) for (const l of listeners) l(signed.body);
    },
  };
}

/** A minimal node configuration for an in-process test member (only what the network module reads is meaningful). */
export function testConfig(memberId: string): NodeConfig {
  const config: Pick<NodeConfig, 'dir' | 'memberId' | 'baseUrl' | 'http' | 'databaseUrl' | 'pgdataDir' | 'logLevel'> = {
    dir: `/nonexistent/${memberId}`,
    memberId,
    baseUrl: `http://${memberId}.test`,
    http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1024 * 1024 },
    databaseUrl: null,
    pgdataDir: `/nonexistent/${memberId}/pgdata`,
    logLevel: 'silent',
  };
  return config as NodeConfig;
}

/** One in-process member of a test consortium. */
export interface TestMember {
  id: string;
  keys: NodeKeys;
  database: Database;
  network: Network;
  metrics: Metrics;
  /** The node's HTTP app with the network surface mounted (as the composition root does). */
  app: Hono<any>;
  roster: MutableRoster;
}

/** A consortium of in-process members wired by an injected fetch. */
export interface TestConsortium {
  consortium: string;
  members: TestMember[];
  member(id: string): TestMember;
  /** The fetch every member uses: routes `http://<id>.test/...` to that member's app. */
  fetch: typeof fetch;
  /** Makes a member unreachable (fetches to it fail like a refused connection) or reachable again. */
  setReachable(id: string, reachable: boolean): void;
  /** Routes a host to a custom handler instead (e.g. a forking fake peer). */
  override(id: string, handler: ((req: Request) => Promise<Response>) | null): void;
  /** Replaces every member's roster. */
  setRoster(signed: SignedRoster): void;
  /** The clock all members use; tests move it with `clock.set`. */
  clock: { now: () => Date; set(d: Date): void; advance(ms: number): void };
  close(): Promise<void>;
}

/** Options of {@link createTestConsortium}. */
export interface TestConsortiumOptions {
  consortium?: string;
  /** Opens the database of a member (default: fresh in-memory PGlite cloned from a migrated template). */
  openDatabase?: (memberId: string) => Promise<Database>;
  /** Extra network dependencies (pull tuning, checkpoint interval). */
  network?: Partial<Pick<NetworkDeps, 'pull' | 'checkpointIntervalMs'>>;
  /** Start time of the shared clock. */
  start?: Date;
}

/**
 * Builds N members (`ids`) with deterministic keys, one governance-signed roster listing all of them,
 * a migrated database each, and `createNetwork` for each, talking to each other through
 * `app.request` via an injected fetch. Background jobs are not started: call `network.start()` or
 * drive replication with `network.peers.pullOnce()`.
 */
export async function createTestConsortium(ids: string[], opts: TestConsortiumOptions = {}): Promise<TestConsortium> {
  await ready();
  const consortium = opts.consortium ?? 'testco';
  let time = (opts.start ?? new Date('2026-11-01T00:00:00Z')).getTime();
  const clock = { now: () => new Date(time), set: (d: Date) => void (time = d.getTime()), advance: (ms: number) => void (time += ms) };
  const keys = new Map(ids.map((id) => [id, testNodeKeys(id)]));
  const roster = testRoster(consortium, ids.map((id) => rosterMember(consortium, id, keys.get(id)!)));
  const unreachable = new Set<string>();
  const overrides = new Map<string, (req: Request) => Promise<Response>>();
  const apps = new Map<string, Hono<any>>();
  const routed: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const host = new URL(req.url).hostname.replace(/\.test$/, '');
    if (unreachable.has(host)) throw new TypeError('fetch failed: connection refused');
    const o = overrides.get(host);
    if (o) return o(req);
    const app = apps.get(host);
    if (!app) throw new TypeError(`fetch failed: no route to ${host}`);
    return app.request(req);
  };
  const members: TestMember[] = [];
  for (const id of ids) {
    const database = opts.openDatabase ? await opts.openDatabase(id) : await migratedPglite();
    await runMigrations(database);
    const metrics = createMetrics({ defaultMetrics: false });
    const logger = pino({ level: 'silent' });
    const memberRoster = mutableRoster(roster);
    const network = createNetwork({
      config: testConfig(id),
      keys: keys.get(id)!,
      db: database.db,
      logger,
      metrics,
      now: clock.now,
      random: seededRandom(`random/${id}`),
      fetch: routed,
      roster: memberRoster,
      pull: { intervalMs: 50, maxBackoffMs: 500, ...opts.network?.pull },
      checkpointIntervalMs: opts.network?.checkpointIntervalMs ?? 100,
    });
    const app = createApp({
      logger,
      metrics,
      readiness: async () => ({ ready: true, checks: {} }),
      openapiText: '',
      bodyLimitBytes: 1024 * 1024,
      surfaces: [network.surface],
    });
    apps.set(id, app);
    members.push({ id, keys: keys.get(id)!, database, network, metrics, app, roster: memberRoster });
  }
  return {
    consortium,
    members,
    member: (id) => members.find((m) => m.id === id)!,
    fetch: routed,
    setReachable: (id, r) => void (r ? unreachable.delete(id) : unreachable.add(id)),
    override: (id, h) => void (h ? overrides.set(id, h) : overrides.delete(id)),
    setRoster: (signed) => members.forEach((m) => m.roster.set(signed)),
    clock,
    async close() {
      for (const m of members) await m.network.stop();
      for (const m of members) await m.database.close();
    },
  };
}
