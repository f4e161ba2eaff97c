/**
 * A member's storage and services for external score tests: in-memory PGlite with the node's
 * migrations, the real SubjectService and ConsentService, the provider mock served through `fetch`
 * (no socket), and a manual clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready } from '../../../../protocol';
import { initNodeDir } from '../../../../node/cli/commands/init';
import { loadConfig } from '../../../../node/config/load';
import type { NodeConfig } from '../../../../node/config/schema';
import { createConsentService } from '../../../../node/consent/service';
import { createExternalScoresModule, type ExternalScoresModule } from '../../../../node/external/module';
import { createMockGatewayApp, generateMockProviderKeys, mockExternalScoresConfig, type MockProviderKeys } from '../../../../node/external/mock/index';
import { loadKeys } from '../../../../node/keys/keyfile';
import { createLogger } from '../../../../node/observability/logger';
import { createMetrics } from '../../../../node/observability/metrics';
import type { Database } from '../../../../node/store/database';
import { createSubjectService } from '../../../../node/subjects/service';
import { migratedPglite } from '../../../support/pglite';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const MOCK_URL = 'http://providers.mock';
export const RID = '11010519491231002X';
export const notice = { version: '2026-11', hash: `sha256:${'ab'.repeat(32)}` };

let cachedKeys: MockProviderKeys | undefined;
/** Mock provider keys, generated once per test file (RSA generation is the slow part). */
export const mockKeys = () => (cachedKeys ??= generateMockProviderKeys());

/** A manual clock. */
export function clock(iso = '2026-11-23T10:00:00.000Z') {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

/** Counter-based deterministic bytes. */
export function counterRandom(seed = 1) {
  let s = seed;
  return (n: number) => Uint8Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24);
}

/** A node directory, its database with migrations, subjects and consents; the mock wired as `fetch`. */
export async function externalFixture(opts: { externalScores?: unknown; fetch?: typeof fetch } = {}) {
  await ready();
  const root = mkdtempSync(join(tmpdir(), 'external-test-'));
  const dir = join(root, 'member-x');
  await initNodeDir({ dir, memberId: 'member-x', baseUrl: 'http://127.0.0.1:7400', port: 0 });
  const keys = loadKeys(dir);
  const time = clock();
  const random = counterRandom(3);
  const database: Database = await migratedPglite();
  const db = database.db;
  const subjects = createSubjectService({ db, pseudonymKey: { kid: 'pk-test', key: new Uint8Array(32).fill(7) }, storageKey: keys.storageKey, now: time.now, random });
  const consents = createConsentService({ db, subjects, memberId: 'member-x', consortiumId: 'test-consortium', signingKey: keys.signal, now: time.now, random });
  const mock = createMockGatewayApp({ keys: mockKeys(), now: time.now, random: counterRandom(9) });
  const calls: string[] = [];
  const mockFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    calls.push(`${req.method} ${new URL(req.url).pathname}`);
    return mock.fetch(req);
  }) as typeof fetch;
  const config: NodeConfig = { ...loadConfig(dir, {}), externalScores: 'externalScores' in opts ? opts.externalScores : mockExternalScoresConfig(mockKeys(), MOCK_URL) };
  const build = (cfg: NodeConfig = config, fetchImpl?: typeof fetch): Promise<ExternalScoresModule> =>
    createExternalScoresModule({
      config: cfg,
      db,
      consents,
      subjects,
      adminToken: ADMIN_TOKEN,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
      now: time.now,
      random,
      fetch: fetchImpl ?? opts.fetch ?? mockFetch,
    });
  return {
    dir,
    config,
    database,
    db,
    subjects,
    consents,
    time,
    calls,
    build,
    /** Grants `external-score:<provider>` for a raw subject id; returns the consent id. */
    async grant(provider: string, subject = RID) {
      const r = await consents.grant({ subject: { id: subject }, purpose: `external-score:${provider}`, recipients: [`provider:${provider}`], dataCategories: ['identity', 'external-scores'], notice, collectionMethod: 'app-checkbox', automatedDecision: false });
      if (!r.ok) throw new Error(r.message);
      return r.consent;
    },
    async cleanup() {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Calls a route of the module with the admin token (unless `auth` is false). */
export function caller(module: ExternalScoresModule) {
  return (method: string, path: string, body?: unknown, auth = true) =>
    module.routes.request(path, {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

let shared: ReturnType<typeof externalFixture> | undefined;
/** One fixture per test file (opening PGlite is the slow part); the file's last afterAll cleans it up. */
export const sharedFixture = () => (shared ??= externalFixture());
