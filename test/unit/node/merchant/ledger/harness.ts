/**
 * The ledger module over a real database with fakes for what it depends on: merchant access (bearer `client:<id>`
 * has both scopes, `read:<id>` only `limits:read`; consent tokens `ct.<clientId>.<subject>.<consentId>`), decisions
 * in force per subject, consents, a movable clock, deterministic randomness and a recording webhook receiver.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ConsentView } from '../../../../../node/consent/service';
import type { InForceDecision } from '../../../../../node/decisions/service';
import { createApp } from '../../../../../node/http/app';
import { problem, sendProblem } from '../../../../../node/http/problem';
import type { MerchantAccess, MerchantEnv, MerchantQueryLogEntry, MerchantScope } from '../../../../../node/merchant/contracts';
import { createLedgerModule, type LedgerModuleDeps } from '../../../../../node/merchant/ledger/module';
import { createLogger } from '../../../../../node/observability/logger';
import { createMetrics } from '../../../../../node/observability/metrics';
import type { Database } from '../../../../../node/store/database';
import { merchantClients } from '../../../../../node/store/schema';

export const T0 = Date.parse('2026-11-23T10:00:00Z');
export const ADMIN = 'admin-token-for-tests';

/** A v1-shaped pseudonym (43 base64url characters) for test subject `n`. */
export const subject = (n: number | string) => createHash('sha256').update(`subject-${n}`).digest('base64url');

/** Deterministic bytes: SHA-256 of a seed and a counter. */
export function seededRandom(seed: string) {
  let i = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) out.set(createHash('sha256').update(`${seed}:${i++}`).digest().subarray(0, Math.min(32, n - o)), o);
    return out;
  };
}

/** A decision in force with just what the ledger reads. */
export function decision(id: string, subj: string, limitMinor: number, status: 'active' | 'frozen' = 'active', createdAt = new Date(T0 - 3600_000)): InForceDecision {
  return { id, subject: subj, createdAt, trigger: 'request', modelId: 'm', status, decision: { limit: { currency: 'CNY', jointLimitMinor: limitMinor }, status } } as unknown as InForceDecision;
}

function fakeAccess(queries: MerchantQueryLogEntry[], consents: Map<string, ConsentView['status']>): MerchantAccess {
  const authenticate: MiddlewareHandler<MerchantEnv> = async (c, next) => {
    const m = /^Bearer (client|read):(\S+)$/.exec(c.req.header('authorization') ?? '');
    if (!m) return sendProblem(c, problem('invalid-token', 'no token'));
    const scopes: MerchantScope[] = m[1] === 'client' ? ['limits:read', 'authorizations:write'] : ['limits:read'];
    c.set('merchant', { clientId: m[2]!, scopes });
    await next();
  };
  return {
    authenticate,
    requireScope: (scope) => async (c, next) => (c.get('merchant').scopes.includes(scope) ? next() : sendProblem(c, problem('insufficient-scope', scope))),
    async verifyConsentToken(token, clientId) {
      const [tag, client, subj, consentId] = token.split('.');
      if (tag !== 'ct' || !client || !subj || !consentId) return { ok: false, code: 'consent-token-invalid', message: 'bad token' };
      if (client !== clientId) return { ok: false, code: 'consent-token-wrong-merchant', message: 'other merchant' };
      if (consents.get(consentId) === 'withdrawn') return { ok: false, code: 'consent-withdrawn', message: 'withdrawn' };
      return { ok: true, subject: subj, consentId, expiresAt: new Date(T0 + 30 * 86_400_000) };
    },
    async logQuery(e) {
      queries.push(e);
    },
  };
}

/** A webhook receiver: records requests, answers with the scripted statuses (then 200). */
export function receiver() {
  const received: { url: string; headers: Record<string, string>; body: string }[] = [];
  const script: (number | 'error')[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    received.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body) });
    const next = script.shift() ?? 200;
    if (next === 'error') throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    return new Response('ok', { status: next });
  }) as typeof globalThis.fetch;
  return { received, script, fetch };
}

let instances = 0;

/** Builds the module and an app around it on `database` (migrated); each instance draws its own random sequence. */
export async function ledgerHarness(database: Database, settings: LedgerModuleDeps['settings'] = {}, fetchImpl?: typeof globalThis.fetch) {
  const clock = { t: T0 };
  const decisions = new Map<string, InForceDecision>();
  const consents = new Map<string, ConsentView['status']>();
  const queries: MerchantQueryLogEntry[] = [];
  const hooks = receiver();
  const logger = createLogger({ level: process.env.LEDGER_TEST_LOG ?? 'silent' });
  const metrics = createMetrics({ defaultMetrics: false });
  const access = fakeAccess(queries, consents);
  const ledger = await createLedgerModule({
    db: database.db,
    access,
    decisions: { effective: async (s) => decisions.get(s) ?? null },
    subjects: {
      pseudonymOf: (raw) =>
        /^(tel:\+\d{6,15}|cn-rid:\d{17}[\dX])$/.test(raw) ? { ok: true, pseudonym: { kid: 'k1', value: subject(raw) } } : { ok: false, code: 'subject-invalid', message: 'not a valid subject identifier' },
    },
    consents: { get: async (id) => ({ id, status: consents.get(id) ?? 'active' }) as ConsentView },
    storageKey: new Uint8Array(32).fill(7),
    adminToken: ADMIN,
    logger,
    metrics,
    now: () => new Date(clock.t),
    random: seededRandom(`ledger-${instances++}`),
    fetch: fetchImpl ?? hooks.fetch,
    settings,
  });
  const app = createApp({ logger, metrics, readiness: async () => ({ ready: true, checks: {} }) as never, openapiText: '', bodyLimitBytes: 64 * 1024, surfaces: [ledger.routes] });
  const json = (body: unknown): Record<string, string> => (body === undefined ? {} : { 'content-type': 'application/json' });
  const send = (path: string, method: string, auth: string, body?: unknown) =>
    app.request(path, { method, headers: { authorization: auth, ...json(body) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return {
    app,
    ledger,
    clock,
    decisions,
    consents,
    queries,
    hooks,
    /** A merchant request as client `clientId`. */
    merchant: (clientId: string, method: string, path: string, body?: unknown) => send(path, method, `Bearer client:${clientId}`, body),
    admin: (method: string, path: string, body?: unknown) => send(path, method, `Bearer ${ADMIN}`, body),
    /** A consent token of `clientId` for subject `subj`. */
    token: (clientId: string, subj: string, consentId = `cns-${clientId}`) => `ct.${clientId}.${subj}.${consentId}`,
    /** Registers a merchant client row (as merchant access would). */
    async registerClient(id: string) {
      await database.db.insert(merchantClients).values({ id, name: id, scopes: ['authorizations:write'], secretHash: new Uint8Array(32), createdAt: new Date(clock.t), ratePerSecond: 100, burst: 100, dailyQuota: 100_000 });
    },
  };
}

export type LedgerHarness = Awaited<ReturnType<typeof ledgerHarness>>;
