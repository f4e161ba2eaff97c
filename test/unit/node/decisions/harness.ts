/**
 * Test harness of the decisions module: an in-memory PGlite node database, a controllable network (signals by
 * subject), recording publish, map-backed own-history provider, and the module mounted in the node's HTTP app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, type SignedSignal } from '../../../../protocol';
import type { OwnHistorySummary } from '../../../../scoring';
import { createDecisionsModule, type DecisionsModule } from '../../../../node/decisions/module';
import { unconfiguredExternalScores } from '../../../../node/decisions/providers';
import { createApp } from '../../../../node/http/app';
import type { HeldSignal } from '../../../../node/network/types';
import { createLogger } from '../../../../node/observability/logger';
import { createMetrics } from '../../../../node/observability/metrics';
import type { PublishService } from '../../../../node/signals/publish';
import { openDatabase, type Database } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';
import { createSubjectService, type SubjectService } from '../../../../node/subjects/service';

export const TOKEN = 'test-admin-token';
export const SELF = 'member-a';
const DAY = 86_400_000;

/** A clock the test moves forward. */
export function testClock(start = '2026-11-23T10:00:00Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms = 1000) => (t += ms) };
}

/** Deterministic "random" bytes (a counter), so ids differ but runs repeat. */
export function counterRandom() {
  let c = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    c++;
    for (let i = 0; i < n; i++) out[i] = (c >> (8 * (i % 4))) & 0xff;
    return out;
  };
}

/** A held signal of another member about `subject`. */
export function held(subject: { kid: string; value: string }, issuer: string, logIndex: number, type: string, data: unknown, now: Date): HeldSignal {
  const issuedAt = new Date(now.getTime() - 10 * DAY).toISOString();
  const expiresAt = new Date(now.getTime() + 365 * DAY).toISOString();
  const body = { v: 1, type, id: `sig-${issuer}-${logIndex}-xxxxxxxx`, issuer, subject, issuedAt, expiresAt, consent: 'sha256:00', data };
  return { issuer, logIndex, id: body.id, type, subject, issuedAt, expiresAt, signed: { body, kid: 'k', sig: 's' } as unknown as SignedSignal, verification: 'verified', own: issuer === SELF };
}

/** A clean own history: long relationship, frequent orders, always on time. */
export function goodHistory(now: Date, over: Partial<OwnHistorySummary> = {}): OwnHistorySummary {
  return {
    lastOrderAt: new Date(now.getTime() - 3 * DAY).toISOString(),
    firstSeenAt: new Date(now.getTime() - 900 * DAY).toISOString(),
    orderCount12m: 30,
    orderAmount12mMinor: 9_000_000,
    onTimeCount12m: 12,
    dueCount12m: 12,
    maxDaysPastDue12m: 0,
    currentDaysPastDue: 0,
    creditLimitMinor: 1_000_000,
    creditBalanceMinor: 100_000,
    refundRate12m: 0,
    disputeRate12m: 0,
    ...over,
  };
}

/** What a test controls and observes. */
export interface Harness {
  module: DecisionsModule;
  app: ReturnType<typeof createApp>;
  database: Database;
  subjects: SubjectService;
  metrics: ReturnType<typeof createMetrics>;
  clock: ReturnType<typeof testClock>;
  dir: string;
  /** Signals by pseudonym value. */
  signals: Map<string, HeldSignal[]>;
  own: Map<string, OwnHistorySummary>;
  capacity: Map<string, number>;
  published: Array<{ subject: string; type: string; data: unknown }>;
  /** Pseudonyms whose sharing consent is missing. */
  noConsent: Set<string>;
  call(method: string, path: string, body?: unknown, auth?: boolean): Promise<Response>;
  close(): Promise<void>;
}

/** Builds a harness; `defaultModelsDir` overrides the shipped model folder; a given `database` is left open. */
export async function createHarness(opts: { defaultModelsDir?: string; database?: Database } = {}): Promise<Harness> {
  await ready();
  const clock = testClock();
  const random = counterRandom();
  const database = opts.database ?? (await openDatabase({ url: null }));
  await runMigrations(database);
  const dir = mkdtempSync(join(tmpdir(), 'decisions-'));
  const subjects = createSubjectService({ db: database.db, pseudonymKey: { kid: 'pk-test', key: new Uint8Array(32).fill(7) }, storageKey: new Uint8Array(32).fill(9), now: clock.now, random });
  const signals = new Map<string, HeldSignal[]>();
  const own = new Map<string, OwnHistorySummary>();
  const capacity = new Map<string, number>();
  const published: Harness['published'] = [];
  const noConsent = new Set<string>();
  const publish: Pick<PublishService, 'publishFor'> = {
    async publishFor(subject, type, data) {
      if (noConsent.has(subject.value)) return { ok: false, code: 'consent-required', message: 'no consent', purpose: 'signal-sharing', recipient: 'consortium:t' };
      published.push({ subject: subject.value, type, data });
      return { ok: true, signal: { id: `pub-${published.length}`, index: published.length - 1, type, issuedAt: clock.now().toISOString(), expiresAt: clock.now().toISOString(), consentId: 'c' } };
    },
  };
  const metrics = createMetrics({ defaultMetrics: false });
  const logger = createLogger({ level: 'silent' });
  const module = await createDecisionsModule({
    db: database.db,
    network: { signals: { bySubject: async (p, asOf) => (signals.get(p) ?? []).filter((h) => Date.parse(h.expiresAt) > asOf.getTime()) } },
    subjects,
    publish,
    ownHistory: { summary: async (p) => own.get(p) ?? null, capacity: async (p) => capacity.get(p) ?? null },
    external: unconfiguredExternalScores,
    modelsDir: join(dir, 'models'),
    memberId: SELF,
    adminToken: TOKEN,
    logger,
    metrics,
    now: clock.now,
    random,
    ...(opts.defaultModelsDir ? { defaultModelsDir: opts.defaultModelsDir } : {}),
  });
  const app = createApp({ logger, metrics, readiness: async () => ({ ready: true, checks: {} }), openapiText: '', bodyLimitBytes: 1 << 20, surfaces: [module.routes] });
  return {
    module, app, database, subjects, metrics, clock, dir, signals, own, capacity, published, noConsent,
    call(method, path, body, auth = true) {
      clock.advance();
      return Promise.resolve(app.request(path, {
        method,
        headers: { ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }));
    },
    async close() {
      if (!opts.database) await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
