import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../../node/store/database';
import { migratedPglite } from '../../../support/pglite';
import { sql } from 'drizzle-orm';
import { PW, SUBJECT_ID, consoleHarness, sampleDecision } from './harness';

describe('compliance console', () => {
  let h: Awaited<ReturnType<typeof consoleHarness>>;
  // One database for the file (opening one is the slow part); each case empties it and builds fresh services.
  let database: Database;
  beforeAll(async () => {
    database = await migratedPglite();
  }, 120_000);
  afterAll(async () => database.close());
  beforeEach(async () => {
    h = await consoleHarness({
      database,
      peers: [{ memberId: 'beta', state: 'quarantined', verifiedSize: 3, verifiedAt: null, appliedSize: 3, lag: 0, lastError: 'fork at size 4', lastAttemptAt: null }],
    });
    await h.officers.accounts.create({ username: 'ada', role: 'auditor', password: PW, createdBy: 'cli' });
    await h.officers.accounts.create({ username: 'vic', role: 'viewer', password: PW, createdBy: 'cli' });
  });
  afterEach(async () => h.close());

  it('redirects to sign-in without a session and signs in with an HttpOnly, SameSite=Strict cookie', async () => {
    const anon = await h.get('/console/dashboard', null);
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/console/login');
    const { res, cookie } = await h.signIn('ada');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/dashboard');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    const https = await h.signIn('ada', PW, 'https://console.example/console/login');
    expect(https.res.headers.get('set-cookie')).toMatch(/Secure/);
    await h.database.db.execute(sql`insert into merchant_clients (id, name, scopes, secret_hash, created_at, rate_per_second, burst, daily_quota)
      values ('mch_x', '<script>alert(1)</script> Shop', '["limits:read"]'::jsonb, '\\x00'::bytea, now(), 1, 1, 1)`);
    await h.database.db.execute(sql`insert into merchant_query_log (client_id, subject, purpose, consent_id, action, outcome, request_id, at)
      values ('mch_x', ${h.pseudonym}, 'merchant-limit', 'cns_1', 'limit.query', 'ok', 'r1', '2026-11-22T00:00:00Z')`);
    const page = await h.get('/console/dashboard', cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('Peer beta is quarantined');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Shop');
    expect(html).not.toMatch(/<script/i);
    expect(h.events.some((e) => e.type === 'officer.login' && e.actor === 'officer:ada')).toBe(true);
    expect(h.events.at(-1)).toMatchObject({ type: 'officer.access', detail: { route: '/console/dashboard', status: 200 } });
  });

  it('answers wrong passwords and unknown users alike, and throttles them', async () => {
    const wrong = await h.signIn('ada', 'not the password');
    const unknown = await h.signIn('nobody', 'not the password');
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    const strip = async (r: Response, name: string) => (await r.text()).replace(`value="${name}"`, '');
    expect(await strip(wrong.res, 'ada')).toBe(await strip(unknown.res, 'nobody'));
    for (let i = 0; i < 4; i++) await h.signIn('ada', 'not the password');
    const limited = await h.signIn('ada', PW);
    expect(limited.res.status).toBe(429);
    expect(limited.cookie).toBeNull();
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('ends expired sessions (back to sign-in)', async () => {
    const { cookie } = await h.signIn('ada');
    h.clock.t += 31 * 60_000;
    const res = await h.get('/console/dashboard', cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login?expired=1');
  });

  it('refuses every state-changing request (403, audited) and POSTs without the right CSRF token', async () => {
    const { cookie } = await h.signIn('ada');
    for (const [method, path] of [['POST', '/console/decisions/dec_1'], ['DELETE', '/console/subjects/x'], ['PUT', '/console/dashboard'], ['POST', '/console/consents/c1/withdraw']]) {
      const res = await h.app.request(`http://127.0.0.1${path}`, { method, headers: { cookie: cookie! } });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await res.text()).toContain('officer-read-only');
      expect(h.events.at(-1)).toMatchObject({ type: 'officer.denied', actor: 'officer:ada', detail: { method, reason: 'read-only' } });
    }
    const csrf = h.csrfOf(await (await h.get('/console/subjects', cookie)).text());
    expect(csrf).toBeTruthy();
    const forms: Record<string, string>[] = [{ id: SUBJECT_ID }, { id: SUBJECT_ID, _csrf: 'forged' }, { id: SUBJECT_ID, _csrf: `${csrf}x` }];
    for (const form of forms) {
      const res = await h.post('/console/subjects/lookup', cookie, form);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('officer-csrf-failed');
      expect(h.events.at(-1)).toMatchObject({ type: 'officer.denied', detail: { reason: 'csrf' } });
    }
    const ok = await h.post('/console/subjects/lookup', cookie, { id: SUBJECT_ID, _csrf: csrf! });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/console/subjects/${h.pseudonym}`);
    expect(JSON.stringify(h.events)).not.toContain(SUBJECT_ID);
    // A login form posted from another site is refused (login CSRF).
    const cross = await h.app.request('http://127.0.0.1/console/login', { method: 'POST', headers: { origin: 'https://evil.example' }, body: new URLSearchParams({ username: 'ada', password: PW }) });
    expect(cross.status).toBe(403);
  });

  it('keeps subject-level pages for auditors (viewer: 403, audited)', async () => {
    const { cookie } = await h.signIn('vic');
    expect((await h.get('/console/dashboard', cookie)).status).toBe(200);
    expect((await h.get('/console/reports/credit', cookie)).status).toBe(200);
    for (const path of ['/console/subjects', `/console/subjects/${h.pseudonym}`, '/console/audit', '/console/decisions/dec_x']) {
      const res = await h.get(path, cookie);
      expect(res.status, path).toBe(403);
      expect(h.events.at(-1)).toMatchObject({ type: 'officer.denied', actor: 'officer:vic' });
    }
  });

  it('shows a subject, its decision with reasons and evidence, HTML in data escaped', async () => {
    await h.repo.insertDecision({ id: 'dec_test1', subject: h.pseudonym, createdAt: new Date('2026-11-20T00:00:00Z'), trigger: 'request', modelId: 'm-1', decision: sampleDecision(h.pseudonym) }, null);
    await h.database.db.execute(sql`insert into merchant_query_log (client_id, subject, purpose, consent_id, action, outcome, request_id, at)
      values ('mch_1', ${h.pseudonym}, 'merchant-limit', 'cns_1', 'limit.query', 'ok', 'r1', '2026-11-21T00:00:00Z')`);
    const { cookie } = await h.signIn('ada');
    const subject = await (await h.get(`/console/subjects/${h.pseudonym}`, cookie)).text();
    expect(subject).toContain('/console/decisions/dec_test1');
    expect(subject).toContain('cns_1');
    expect(subject).not.toContain(SUBJECT_ID);
    expect(h.events.at(-1)).toMatchObject({ type: 'officer.access', actor: 'officer:ada', subject: h.pseudonym, detail: { route: '/console/subjects/:pseudonym' } });
    const json = await h.get(`/console/subjects/${h.pseudonym}/report.json`, cookie);
    expect(((await json.json()) as { decisions: { id: string }[] }).decisions.map((d) => d.id)).toEqual(['dec_test1']);
    expect(h.events.some((e) => e.type === 'export.made' && e.detail?.kind === 'subject-report')).toBe(true);
    const page = await h.get('/console/decisions/dec_test1', cookie);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('An active M2 overdue caps the grade at C');
    expect(html).toContain('Days past due &lt;b&gt;max&lt;/b&gt;');
    expect(html).not.toContain('<b>max</b>');
    expect((await h.get('/console/decisions/dec_missing', cookie)).status).toBe(404);
    expect((await h.get('/console/subjects/not-a-pseudonym', cookie)).status).toBe(400);
  });

  it('searches consents (validated, paginated) and shows a signed receipt with every field escaped', async () => {
    const granted = await h.consents.grant({
      subject: { id: SUBJECT_ID }, purpose: 'merchant-limit', recipients: ['mch_<b>shop</b>'], dataCategories: ['decisions'],
      notice: { version: '2026-11<script>', hash: `sha256:${'ab'.repeat(32)}` }, collectionMethod: 'app-checkbox', automatedDecision: true,
    });
    if (!granted.ok) throw new Error(JSON.stringify(granted));
    const { cookie } = await h.signIn('ada');
    const list = await h.get(`/console/consents?subject=${h.pseudonym}&state=given&from=2026-01-01&to=2026-12-31`, cookie);
    const html = await list.text();
    expect(list.status).toBe(200);
    expect(html).toContain(granted.consent.id);
    expect(html).toContain('mch_&lt;b&gt;shop&lt;/b&gt;');
    for (const bad of ['subject=11010519491231002X', 'from=2020-01-01&to=2026-12-31', 'from=yesterday', 'cursor=garbage']) {
      expect((await h.get(`/console/consents?${bad}`, cookie)).status, bad).toBe(400);
    }
    const receipt = await h.get(`/console/consents/${granted.consent.id}`, cookie);
    const rhtml = await receipt.text();
    expect(rhtml).toContain('automated decision (art. 24): yes');
    expect(rhtml).toContain('2026-11&lt;script&gt;');
    expect(rhtml).not.toContain('2026-11<script>');
    expect((await h.get('/console/consents/cns_missing', cookie)).status).toBe(404);
  });

  it('browses the audit log in bounded pages and verifies an entry, and detects a changed entry', async () => {
    await h.audit.record({ type: 'export.made', actor: 'admin', detail: { note: '<img src=x onerror=alert(1)>' } });
    const { cookie } = await h.signIn('ada');
    const list = await (await h.get('/console/audit?from=0', cookie)).text();
    expect(list).toContain('export.made');
    expect(list).not.toContain('<img src=x');
    expect((await h.get('/console/audit?from=abc', cookie)).status).toBe(400);
    const far = await h.get('/console/audit?from=999999999999999', cookie);
    expect(far.status).toBe(200);
    expect(await far.text()).toContain('No entries in this range.');
    const entry = await (await h.get('/console/audit/0', cookie)).text();
    expect(entry).toContain('Verified: the checkpoint is signed by the audit log key');
    await h.database.db.execute(sql`update audit_entries set body = convert_to(replace(convert_from(body, 'UTF8'), 'officer-created', 'officer-xreated'), 'UTF8') where idx = 0`);
    const tampered = await (await h.get('/console/audit/0', cookie)).text();
    expect(tampered).toContain('Verification FAILED');
    expect((await h.get('/console/audit/123456', cookie)).status).toBe(404);
  });

  it('shows credit reports with SVG charts and exports CSV (audited)', async () => {
    await h.repo.insertDecision({ id: 'dec_r1', subject: h.pseudonym, createdAt: new Date('2026-11-20T00:00:00Z'), trigger: 'request', modelId: 'm-1', decision: sampleDecision(h.pseudonym) }, null);
    await h.database.db.execute(sql`insert into merchant_lines (subject, currency, outstanding_minor, version, updated_at) values (${h.pseudonym}, 'CNY', 10000, 1, now())`);
    await h.database.db.execute(sql`insert into merchant_authorizations (id, client_id, subject, consent_id, decision_id, amount_minor, currency, merchant_reference, state, captured_minor, repaid_admin_minor, repaid_import_minor, created_at, expires_at)
      values ('auth_1', 'mch_1', ${h.pseudonym}, 'cns_1', 'dec_r1', 2550, 'CNY', 'o-1', 'held', 0, 0, 0, '2026-11-23T09:00:00Z', '2026-11-30T00:00:00Z'),
             ('auth_2', 'mch_1', ${h.pseudonym}, 'cns_1', 'dec_r1', 99900, 'CNY', 'o-2', 'held', 0, 0, 0, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')`);
    const { cookie } = await h.signIn('vic');
    const html = await (await h.get('/console/reports/credit', cookie)).text();
    expect(html).toContain('<svg');
    expect(html).toContain('4,000.00 CNY');
    expect(html).toContain('125.50 CNY');
    const csv = await h.get('/console/reports/credit.csv?table=grades', cookie);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe('grade,subjects,total_limit_cny,used_limit_cny,frozen\r\nC,1,4000,125.5,0\r\n');
    expect(h.events.at(-2)).toMatchObject({ type: 'export.made', actor: 'officer:vic', detail: { export: 'credit-report.grades', rows: 1 } });
    expect((await h.get('/console/reports/credit.csv?table=officers', cookie)).status).toBe(400);
  });

  it('signs out: the session is revoked and the cookie cleared', async () => {
    const { cookie } = await h.signIn('ada');
    const csrf = h.csrfOf(await (await h.get('/console/dashboard', cookie)).text());
    const out = await h.post('/console/logout', cookie, { _csrf: csrf! });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/cn_officer=;/);
    expect((await h.get('/console/dashboard', cookie)).status).toBe(303);
  });

  it('ends the session a browser still holds when it signs in again (no session left behind)', async () => {
    const first = await h.signIn('ada');
    const again = await h.app.request('http://127.0.0.1/console/login', { method: 'POST', headers: { cookie: first.cookie! }, body: new URLSearchParams({ username: 'vic', password: PW }) });
    expect(again.status).toBe(303);
    const second = /cn_officer=([^;]+)/.exec(again.headers.get('set-cookie') ?? '')?.[1];
    expect(second).toBeTruthy();
    expect(`cn_officer=${second}`).not.toBe(first.cookie);
    expect((await h.get('/console/dashboard', first.cookie)).status).toBe(303);
    expect((await h.get('/console/dashboard', `cn_officer=${second}`)).status).toBe(200);
    expect(h.events.some((e) => e.type === 'officer.access' && e.actor === 'officer:ada' && e.detail?.action === 'logout')).toBe(true);
  });
});
