import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Decision } from '../../../../scoring';
import type { AuditLog } from '../../../../node/audit/log';
import { createComplianceServices } from '../../../../node/compliance/services';
import type { AuditEvent } from '../../../../node/compliance/contracts';
import { createConsentService } from '../../../../node/consent/service';
import { consoleRoutes } from '../../../../node/console/routes';
import { createDecisionRepository } from '../../../../node/decisions/repository';
import { createApp } from '../../../../node/http/app';
import type { PeerStatus } from '../../../../node/network/types';
import { createOfficersModule, type OfficersModule } from '../../../../node/officers/module';
import { createLogger } from '../../../../node/observability/logger';
import { createMetrics } from '../../../../node/observability/metrics';
import type { Database } from '../../../../node/store/database';
import { createSubjectService } from '../../../../node/subjects/service';
import { migratedPglite } from '../../../support/pglite';
import { testKey } from '../audit/support';

export const PW = 'correct horse battery staple';
export const SUBJECT_ID = '11010519491231002X';

/** A decision/v1 record with the fields the console shows (test data, not produced by the scorer). */
export function sampleDecision(subject: string, extra: Partial<Decision> = {}): Decision {
  return {
    schema: 'decision/v1', subject, asOf: '2026-11-01T00:00:00Z', inputsDigest: 'ab'.repeat(32),
    versions: { catalogue: '1', model: 'm-1', modelSha256: 'cd'.repeat(32), policy: 'p-1' },
    features: { names: ['dpd_max'], values: [12], missing: [] }, pd: 0.0734, modelGrade: 'B', grade: 'C',
    service: { zh: '标准', en: 'standard' }, vip: null,
    limit: { currency: 'CNY', baseMinor: 500000, capacityMinor: 400000, capacitySource: 'assessed', grossMinor: 400000, exposureMinor: 0, exposureDeductionMinor: 0, capMinor: 1000000, capped: false, jointLimitMinor: 400000 },
    status: 'active', alerts: [],
    reasons: {
      model: { method: 'scorecard_exact', baselinePd: 0.05, factors: [{ code: 'F_DPD_MAX', feature: 'dpd_max', value: 12, missing: false, contribution: 0.42, direction: 'raises_risk', zh: '逾期天数', en: 'Days past due <b>max</b>' }] },
      rules: [{ code: 'overdue_cap', zh: '逾期封顶', en: 'An active M2 overdue caps the grade at C', params: {} }],
    },
    evidence: { signals: [] }, reviewChain: [],
    ...extra,
  } as unknown as Decision;
}

/** Empties every table of `database` (keeps the schema and its migrations), so one database serves many cases. */
export async function emptyDatabase(database: Database): Promise<void> {
  const r = (await database.db.execute(sql`select tablename from pg_tables where schemaname = 'public'`)) as unknown as { rows: { tablename: string }[] };
  const names = r.rows.map((t) => `"${t.tablename}"`);
  if (names.length > 0) await database.db.execute(sql.raw(`truncate ${names.join(', ')} restart identity cascade`));
}

/**
 * A console + officers app with a real audit log and a controllable clock, over `opts.database` (emptied first;
 * the caller closes it) or else a fresh PGlite database (closed by `close()`).
 */
export async function consoleHarness(opts: { peers?: PeerStatus[]; database?: Database } = {}) {
  const database: Database = opts.database ?? (await migratedPglite());
  if (opts.database) await emptyDatabase(database);
  const clock = { t: Date.parse('2026-11-23T10:00:00Z') };
  const now = () => new Date(clock.t);
  const random = (n: number) => new Uint8Array(randomBytes(n));
  const logger = createLogger({ level: 'silent' });
  const subjects = createSubjectService({ db: database.db, pseudonymKey: { kid: 'pk-test', key: new Uint8Array(32).fill(7) }, storageKey: new Uint8Array(32).fill(3), now, random });
  const compliance = createComplianceServices({
    db: database.db, memberId: 'alpha', logKey: await testKey(9), signalKey: await testKey(10), storageKey: new Uint8Array(32).fill(3), logger, now, random,
    identifierOf: (p) => subjects.identifierOf(p), withdrawConsent: async () => undefined,
  });
  const auditLog: AuditLog = compliance.audit;
  const consents = createConsentService({ db: database.db, subjects, memberId: 'alpha', consortiumId: 'test-consortium', signingKey: await testKey(10), now, random });
  const events: AuditEvent[] = [];
  const audit = { record: async (e: AuditEvent) => { events.push(e); await auditLog.record(e); } };
  const officers: OfficersModule = createOfficersModule({ db: database.db, audit, adminToken: 'admin-token-0123456789abcdef', now, random, scrypt: { logN: 10, r: 8, p: 1 } });
  const repo = createDecisionRepository(database.db);
  const decisions = { get: async (id: string) => { const s = await repo.getDecision(id); return s ? { ...s, inForce: true, reviews: [] } : null; } };
  const routes = consoleRoutes({ db: database.db, sessions: officers.sessions, audit, auditLog, memberId: 'alpha', now, peers: { status: async () => opts.peers ?? [] }, decisions, subjects, pseudonymKid: 'pk-test', compliance });
  const app: Hono<any> = createApp({ logger, metrics: createMetrics(), readiness: async () => ({ ok: true }) as never, openapiText: '', bodyLimitBytes: 1 << 20, surfaces: [officers.routes, routes] });
  const pseudonym = (subjects.pseudonymOf(SUBJECT_ID) as { ok: true; pseudonym: { value: string } }).pseudonym.value;

  /** Signs in through the console form; returns the cookie header value. */
  const signIn = async (username: string, password = PW, url = 'http://127.0.0.1/console/login') => {
    const res = await app.request(url, { method: 'POST', body: new URLSearchParams({ username, password }) });
    const cookie = /cn_officer=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    return { res, cookie: cookie ? `cn_officer=${cookie}` : null };
  };
  const get = (path: string, cookie: string | null) => app.request(`http://127.0.0.1${path}`, { headers: cookie ? { cookie } : {} });
  const post = (path: string, cookie: string | null, form: Record<string, string>) =>
    app.request(`http://127.0.0.1${path}`, { method: 'POST', headers: cookie ? { cookie } : {}, body: new URLSearchParams(form) });
  /** The CSRF token from a page's forms. */
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;

  return {
    app, database, officers, consents, audit, auditLog, events, clock, repo, pseudonym, signIn, get, post, csrfOf,
    async close() {
      await auditLog.stop();
      if (!opts.database) await database.close();
    },
  };
}
