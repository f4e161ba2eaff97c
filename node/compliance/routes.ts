import { Hono } from 'hono';
import { z } from 'zod';
import { toBase64 } from '../../protocol';
import { readJson } from '../http/body';
import { HttpProblem, problem, sendProblem } from '../http/problem';
import type { SubjectService } from '../subjects/service';
import { MAX_AUDIT_PAGE } from '../audit/log';
import { MAX_CONSENT_PAGE } from './consents';
import type { OfficerAccess, OfficerEnv } from './contracts';
import { renderSubjectReportHtml } from './report-html';
import type { ComplianceServices } from './services';

/** Dependencies of {@link complianceRoutes}. */
export interface ComplianceRoutesDeps {
  officers: OfficerAccess;
  services: ComplianceServices;
  /** Pseudonymizes raw identifiers on arrival; null before the node joined a consortium. */
  subjects: Pick<SubjectService, 'pseudonymOf'> | null;
}

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const consentQuery = z.strictObject({
  subject: z.string().min(1).max(64).optional(),
  purpose: z.string().min(1).max(64).optional(),
  recipient: z.string().min(1).max(200).optional(),
  state: z.enum(['given', 'withdrawn', 'expired']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CONSENT_PAGE).default(50),
});
const entriesQuery = z.strictObject({
  from: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
});
const reportRequest = z.strictObject({ subject: z.string().min(1).max(64), format: z.enum(['json', 'html']).default('json') });
const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), pseudonym: z.string().min(1).max(100).optional() });

function query<S extends z.ZodType>(schema: S, q: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(q);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
    throw new HttpProblem(problem('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }));
  }
  return parsed.data;
}

/** An audit checkpoint as served. */
function checkpointView(cp: { size: number; rootHash: Uint8Array; note: string; signedAt: Date }, origin: string, verifierKey: string) {
  return { origin, verifierKey, size: cp.size, rootHash: toBase64(cp.rootHash), note: cp.note, signedAt: cp.signedAt.toISOString() };
}

/**
 * `/compliance/v1/` (issue 9 §1-4): read-only evidence for compliance officers. Roles (docs/compliance.md
 * "Roles"): `viewer` reads consents, receipts, retention and erasure evidence; `auditor` also reads the audit
 * log and subject reports. Raw subject identifiers arrive in JSON bodies or the `subject` query of a consent
 * search and are pseudonymized at once; they are never logged or audited.
 */
export function complianceRoutes(deps: ComplianceRoutesDeps): Hono<OfficerEnv> {
  const app = new Hono<OfficerEnv>();
  const { officers, services } = deps;
  // Authentication per route, not `use('/compliance/v1/*')`: sign-in (C2's POST /compliance/v1/session) shares the prefix.
  const auth = officers.authenticate;
  const any = officers.requireRole('viewer', 'auditor');
  const auditor = officers.requireRole('auditor');
  const actor = (c: { get(k: 'officer'): { username: string } }) => `officer:${c.get('officer').username}`;
  const pseudonym = (raw: string) => {
    if (!deps.subjects) throw new HttpProblem(problem('not-joined', 'subjects can be looked up once the node has joined a consortium'));
    const r = deps.subjects.pseudonymOf(raw);
    if (!r.ok) throw new HttpProblem(problem('subject-invalid', r.message));
    return r.pseudonym;
  };

  app.get('/compliance/v1/audit/checkpoint', auth, auditor, async (c) => {
    const cp = (await services.audit.latestCheckpoint()) ?? (await services.audit.checkpointNow());
    return c.json(checkpointView(cp, services.audit.origin, services.audit.verifierKey), 200, { 'cache-control': 'no-store' });
  });
  app.get('/compliance/v1/audit/entries', auth, auditor, async (c) => {
    const q = query(entriesQuery, c.req.query());
    const items = await services.audit.entries(q.from, q.limit);
    const next = items.length === q.limit ? q.from + q.limit : null;
    return c.json({ items, next }, 200, { 'cache-control': 'no-store' });
  });
  app.get('/compliance/v1/audit/entries/:index{[0-9]+}', auth, auditor, async (c) => {
    const index = Number(c.req.param('index'));
    if (!Number.isSafeInteger(index)) return sendProblem(c, problem('audit-entry-not-found', 'the audit log has no entry at that index'));
    const e = await services.audit.entryWithProof(index);
    if (!e) return sendProblem(c, problem('audit-entry-not-found', `the audit log has no entry ${index}`));
    return c.json({
      index: e.index, entry: e.entry, body: e.body,
      checkpoint: checkpointView(e.checkpoint, services.audit.origin, services.audit.verifierKey),
      inclusionProof: e.proof.map(toBase64), tlogProof: e.tlogProof,
    }, 200, { 'cache-control': 'no-store' });
  });

  app.get('/compliance/v1/consents', auth, any, async (c) => {
    const q = query(consentQuery, c.req.query());
    const subject = q.subject ? pseudonym(q.subject).value : undefined;
    const r = await services.receipts.search({
      limit: q.limit, ...(subject ? { subject } : {}), ...(q.purpose ? { purpose: q.purpose } : {}), ...(q.recipient ? { recipient: q.recipient } : {}),
      ...(q.state ? { state: q.state } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    if (!r.ok) return sendProblem(c, problem(r.code, r.message));
    return c.json({ items: r.items, nextCursor: r.nextCursor }, 200, { 'cache-control': 'no-store' });
  });
  app.get('/compliance/v1/consents/:id{cns_[A-Za-z0-9_-]+}/receipt', auth, any, async (c) => {
    const receipt = await services.receipts.receipt(c.req.param('id'));
    if (!receipt) return sendProblem(c, problem('consent-not-found', `no consent ${c.req.param('id')}`));
    await services.audit.record({ type: 'export.made', actor: actor(c), subject: receipt.receipt.subject.pseudonym, detail: { kind: 'consent-receipt', consent: receipt.receipt.recordId } });
    return c.json(receipt, 200, { 'cache-control': 'no-store' });
  });

  app.post('/compliance/v1/subject-reports', auth, auditor, async (c) => {
    const req = await readJson(c, reportRequest);
    const p = pseudonym(req.subject);
    const report = await services.subjectReports.build(p);
    await services.audit.record({ type: 'export.made', actor: actor(c), subject: p.value, detail: { kind: 'subject-report', format: req.format } });
    const headers = { 'cache-control': 'no-store', 'content-disposition': `attachment; filename="subject-report-${report.generatedAt.slice(0, 10)}.${req.format}"` };
    if (req.format === 'html') return c.html(renderSubjectReportHtml(report), 200, headers);
    return c.json(report, 200, headers);
  });

  app.get('/compliance/v1/retention/sweeps', auth, any, async (c) => {
    const q = query(listQuery, c.req.query());
    return c.json({ items: await services.retention.list(q.limit) }, 200, { 'cache-control': 'no-store' });
  });
  app.get('/compliance/v1/erasures', auth, any, async (c) => {
    const q = query(listQuery, c.req.query());
    return c.json({ items: await services.erasures.list({ limit: q.limit, ...(q.pseudonym ? { subject: q.pseudonym } : {}) }) }, 200, { 'cache-control': 'no-store' });
  });
  return app;
}
