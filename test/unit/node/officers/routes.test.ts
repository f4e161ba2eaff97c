import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminAuth } from '../../../../node/http/admin/auth';
import { createApp } from '../../../../node/http/app';
import { createLogger } from '../../../../node/observability/logger';
import { createMetrics } from '../../../../node/observability/metrics';
import type { Database } from '../../../../node/store/database';
import { migratedPglite } from '../../../support/pglite';
import { ADMIN_TOKEN, officersFixture } from './fixture';

const PW = 'correct horse battery staple';

describe('officer routes: sign-in API, admin account management, no admin access for officers', () => {
  let database: Database;
  let fx: ReturnType<typeof officersFixture>;
  let app: Hono<any>;
  // One database for the file (opening one is the slow part); each case starts with no officers or sessions.
  beforeAll(async () => {
    database = await migratedPglite();
  }, 120_000);
  afterAll(async () => database.close());
  beforeEach(async () => {
    await database.db.execute(sql`truncate officer_sessions, officers`);
    fx = officersFixture(database);
    // A stand-in admin surface behind the real admin-token check, mounted after the officer routes as in compose.
    const admin = new Hono();
    admin.use('/admin/v1/*', adminAuth(ADMIN_TOKEN));
    admin.get('/admin/v1/roster', (c) => c.json({ ok: true }));
    app = createApp({ logger: createLogger({ level: 'silent' }), metrics: createMetrics(), readiness: async () => ({}) as never, openapiText: '', bodyLimitBytes: 1 << 20, surfaces: [fx.mod.routes, admin] });
  });

  const json = (method: string, path: string, body?: unknown, token?: string) =>
    app.request(path, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

  it('lets the admin create, list and disable officers; refuses without the admin token', async () => {
    expect((await json('POST', '/admin/v1/officers', { username: 'ada', role: 'auditor', password: PW })).status).toBe(401);
    const created = await json('POST', '/admin/v1/officers', { username: 'ada', role: 'auditor', password: PW }, ADMIN_TOKEN);
    expect(created.status).toBe(201);
    const officer = (await created.json()) as { id: string; username: string };
    expect(officer.username).toBe('ada');
    const dup = await json('POST', '/admin/v1/officers', { username: 'ada', role: 'viewer', password: PW }, ADMIN_TOKEN);
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { code: string }).code).toBe('officer-username-taken');
    const listed = (await (await json('GET', '/admin/v1/officers', undefined, ADMIN_TOKEN)).json()) as { officers: unknown[] };
    expect(listed.officers).toHaveLength(1);
    expect((await json('POST', `/admin/v1/officers/${officer.id}/disable`, undefined, ADMIN_TOKEN)).status).toBe(200);
  });

  it('signs in for API use, shows the session, signs out', async () => {
    await fx.mod.accounts.create({ username: 'ada', role: 'viewer', password: PW, createdBy: 'cli' });
    const bad = await json('POST', '/compliance/v1/session', { username: 'ada', password: 'wrong password!!' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { code: string }).code).toBe('officer-login-failed');
    const res = await json('POST', '/compliance/v1/session', { username: 'ada', password: PW });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect(((await (await json('GET', '/compliance/v1/session', undefined, token)).json()) as { officer: { role: string } }).officer.role).toBe('viewer');
    expect((await json('DELETE', '/compliance/v1/session', undefined, token)).status).toBe(204);
    const after = await json('GET', '/compliance/v1/session', undefined, token);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { code: string }).code).toBe('officer-session-invalid');
  });

  it('answers an officer session on the admin surface with 403 and audits it', async () => {
    await fx.mod.accounts.create({ username: 'ada', role: 'auditor', password: PW, createdBy: 'cli' });
    const { token } = (await (await json('POST', '/compliance/v1/session', { username: 'ada', password: PW })).json()) as { token: string };
    for (const [method, path] of [['GET', '/admin/v1/roster'], ['POST', '/admin/v1/officers']]) {
      const res = await json(method!, path!, method === 'POST' ? { username: 'eve', role: 'auditor', password: PW } : undefined, token);
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('officer-admin-forbidden');
      expect(fx.audit.events.at(-1)).toMatchObject({ type: 'officer.denied', actor: 'officer:ada', detail: { reason: 'admin-surface', method } });
    }
    expect((await fx.mod.accounts.list()).map((o) => o.username)).toEqual(['ada']);
    // The admin token still works.
    expect((await json('GET', '/admin/v1/roster', undefined, ADMIN_TOKEN)).status).toBe(200);
  });

  it('refuses a cookie-authenticated change sent from another site (403, audited); the same origin may', async () => {
    await fx.mod.accounts.create({ username: 'ada', role: 'auditor', password: PW, createdBy: 'cli' });
    const { token } = (await (await json('POST', '/compliance/v1/session', { username: 'ada', password: PW })).json()) as { token: string };
    const withCookie = (headers: Record<string, string>) =>
      app.request('http://node.example/compliance/v1/session', { method: 'DELETE', headers: { cookie: `cn_officer=${token}`, ...headers } });
    const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of crossSite) {
      const res = await withCookie(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('officer-csrf-failed');
      expect(fx.audit.events.at(-1)).toMatchObject({ type: 'officer.denied', actor: 'officer:ada', detail: { method: 'DELETE', status: 403 } });
      expect(await fx.mod.sessions.resolve(token)).toMatchObject({ ok: true });
    }
    // Reads with the cookie still work from anywhere SameSite lets the cookie through.
    expect((await app.request('http://node.example/compliance/v1/session', { headers: { cookie: `cn_officer=${token}`, origin: 'https://evil.example' } })).status).toBe(200);
    expect((await withCookie({ origin: 'http://node.example', 'sec-fetch-site': 'same-origin' })).status).toBe(204);
    expect(await fx.mod.sessions.resolve(token)).toMatchObject({ ok: false });
  });
});
