import { beforeAll, describe, expect, it } from 'vitest';
import { Hono, type MiddlewareHandler } from 'hono';
import { HttpProblem, sendProblem } from '../../../../node/http/problem';
import type { OfficerAccess, OfficerEnv, OfficerPrincipal } from '../../../../node/compliance/contracts';
import { complianceRoutes } from '../../../../node/compliance/routes';
import { escapeHtml, renderSubjectReportHtml } from '../../../../node/compliance/report-html';
import { createComplianceServices, type ComplianceServices } from '../../../../node/compliance/services';
import type { SubjectReport } from '../../../../node/compliance/subject-report';
import { migratedPglite } from '../../../support/pglite';
import { silentLogger, testKey } from '../audit/support';
import { insertConsent } from './fixture';

/** A fake OfficerAccess: `Authorization: Bearer <role>` signs in as that role. */
const fakeAccess: OfficerAccess = {
  authenticate: (async (c, next) => {
    const role = /^Bearer (viewer|auditor)$/.exec(c.req.header('authorization') ?? '')?.[1] as OfficerPrincipal['role'] | undefined;
    if (!role) return c.json({ code: 'officer-session-invalid' }, 401);
    c.set('officer', { id: `o-${role}`, username: role, role });
    await next();
  }) as MiddlewareHandler<OfficerEnv>,
  requireRole: (...roles) => (async (c, next) => (roles.includes(c.get('officer').role) ? next() : c.json({ code: 'officer-role-required' }, 403))) as MiddlewareHandler<OfficerEnv>,
};
const RAW = '+8613800138000';

describe('compliance routes (role matrix and input handling)', () => {
  let services: ComplianceServices;
  let app: Hono;
  beforeAll(async () => {
    const database = await migratedPglite();
    services = createComplianceServices({
      db: database.db, memberId: 'm1', logKey: await testKey(7), signalKey: await testKey(8), storageKey: new Uint8Array(32), logger: silentLogger,
      now: () => new Date('2026-06-01T00:00:00Z'), random: (n) => new Uint8Array(n).fill(5), identifierOf: async () => null, withdrawConsent: async () => undefined,
    });
    await insertConsent(database, { id: 'cns_r1', subject: 'pseudo-1', grantedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z' });
    await services.audit.append({ type: 'consent.granted', actor: 'admin', subject: 'pseudo-1' });
    // As in createApp: thrown HttpProblems become problem+json answers.
    app = new Hono();
    app.onError((err, c) => (err instanceof HttpProblem ? sendProblem(c, err.problem) : c.text('bug', 500)));
    app.route('/', complianceRoutes({ officers: fakeAccess, services, subjects: { pseudonymOf: (raw) => (raw === RAW ? { ok: true, pseudonym: { kid: 'k1', value: 'pseudo-1' } } : { ok: false, code: 'subject-invalid', message: 'bad id' }) } }));
  });
  const call = (role: string | null, method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { ...(role ? { authorization: `Bearer ${role}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

  it.each([
    ['GET', '/compliance/v1/consents', { none: 401, viewer: 200, auditor: 200 }],
    ['GET', '/compliance/v1/consents/cns_r1/receipt', { none: 401, viewer: 200, auditor: 200 }],
    ['GET', '/compliance/v1/retention/sweeps', { none: 401, viewer: 200, auditor: 200 }],
    ['GET', '/compliance/v1/erasures', { none: 401, viewer: 200, auditor: 200 }],
    ['GET', '/compliance/v1/audit/checkpoint', { none: 401, viewer: 403, auditor: 200 }],
    ['GET', '/compliance/v1/audit/entries', { none: 401, viewer: 403, auditor: 200 }],
    ['GET', '/compliance/v1/audit/entries/0', { none: 401, viewer: 403, auditor: 200 }],
  ] as const)('%s %s follows the role matrix', async (method, path, want) => {
    for (const [role, status] of Object.entries(want)) expect([role, (await call(role === 'none' ? null : role, method, path)).status]).toEqual([role, status]);
  });

  it('pseudonymizes the searched identifier and keeps it out of answers and the audit log', async () => {
    const res = await call('viewer', 'GET', `/compliance/v1/consents?subject=${encodeURIComponent(RAW)}`);
    const body = (await res.json()) as { items: { id: string }[] };
    expect(body.items.map((i) => i.id)).toEqual(['cns_r1']);
    expect((await call('viewer', 'GET', '/compliance/v1/consents?subject=123')).status).toBe(422);
    const report = await call('auditor', 'POST', '/compliance/v1/subject-reports', { subject: RAW });
    expect(report.status).toBe(200);
    const entries = await services.audit.entries(0, 100);
    expect(entries.some((e) => e.body?.type === 'export.made' && e.body.subject === 'pseudo-1')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(RAW);
  });

  it.each([
    ['/compliance/v1/consents?limit=1000', 400],
    ['/compliance/v1/consents?state=bogus', 400],
    ['/compliance/v1/consents?unknown=1', 400],
    ['/compliance/v1/audit/entries?limit=501', 400],
    ['/compliance/v1/audit/entries/99999', 404],
    ['/compliance/v1/consents/cns_nope/receipt', 404],
  ])('refuses or bounds %s', async (path, status) => {
    expect((await call('auditor', 'GET', path)).status).toBe(status);
  });
});

describe('printable subject report', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<script>"x"&'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;');
    const report: SubjectReport = {
      reportVersion: 1, generatedAt: '2026-06-01T00:00:00Z', memberId: 'm1<b>', subject: { pseudonym: 'p', pseudonymKid: 'k', identifier: '<img src=x onerror=alert(1)>' },
      records: [{ key: 'k', entity: 'customer', customerRef: 'c', data: { note: '</td><script>' }, personal: { name: '<b>Li</b>' }, importId: 'i', updatedAt: 'x' }],
      signalsPublished: [], signalsHeld: [], externalScores: { cached: [], fetched: [] }, decisions: [], merchantQueries: [], merchantAuthorizations: [], consents: [], erasures: [], auditTrail: [], truncated: [],
    };
    const html = renderSubjectReportHtml(report);
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
