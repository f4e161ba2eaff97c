import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AuditLog } from '../audit/log';
import type { AuditSink } from '../compliance/contracts';
import type { ComplianceServices } from '../compliance/services';
import type { DecisionService } from '../decisions/service';
import type { Network } from '../network/types';
import { clientAddress, SESSION_COOKIE, sameOrigin } from '../officers/access';
import type { OfficerSessions } from '../officers/sessions';
import type { Db } from '../store/database';
import type { SubjectService } from '../subjects/service';
import { consoleCss } from './assets';
import { checkAuditEntry } from './audit-check';
import { toCsv } from './csv';
import { render, type PageContext } from './layout';
import { AuditEntryPage, AuditListPage } from './pages/audit';
import { DashboardPage } from './pages/dashboard';
import { DecisionPage } from './pages/decision';
import { errorPage } from './pages/error';
import { LoginPage } from './pages/login';
import { ReportsPage } from './pages/reports';
import { ConsentSearchPage, ReceiptPage, type ConsentFilters } from './pages/consents';
import { SubjectReportPage } from './pages/subject-report';
import { SubjectLookupPage } from './pages/subjects';
import { consentsByState, queriesByMerchant, reviewBacklog, sharingByPeer } from './queries';
import { creditReport, csvTables, reportTable } from './reports';
import { clearSessionCookie, consoleHeaders, consoleSession, setSessionCookie, type ConsoleEnv } from './session';

/** What the console reads from. */
export interface ConsoleDeps {
  db: Db;
  sessions: OfficerSessions;
  audit: AuditSink;
  /** The audit log the console browses and verifies. */
  auditLog: Pick<AuditLog, 'entries' | 'entryWithProof' | 'latestCheckpoint' | 'origin' | 'verifierKey'>;
  memberId: string;
  now: () => Date;
  /** Null before the node joined a consortium. */
  peers: Pick<Network['peers'], 'status'> | null;
  decisions: Pick<DecisionService, 'get'>;
  /** Null before the node joined (no pseudonymization key): subject look-up is unavailable. */
  subjects: Pick<SubjectService, 'pseudonymOf'> | null;
  /** Key id of the consortium pseudonymization key (null before joining). */
  pseudonymKid: string | null;
  /** C1's consent receipts and subject reports. */
  compliance: Pick<ComplianceServices, 'receipts' | 'subjectReports'>;
}

const PSEUDONYM = /^[A-Za-z0-9_-]{43}$/;
const DECISION_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** Consents per console page. */
const CONSENT_PAGE = 50;
/** Audit entries per console page. */
const AUDIT_PAGE = 50;
/** Merchant queries on the dashboard cover this many days. */
const QUERY_DAYS = 30;

const ctxOf = (c: Context<ConsoleEnv>): PageContext => ({ officer: c.get('officer'), csrf: c.get('csrf') });

/** `/console`: the compliance console (issue 9 §6), server-rendered with hono JSX, read-only, no scripts. */
export function consoleRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use('/console/*', consoleHeaders, consoleSession(deps));
  app.use('/console', consoleHeaders);
  const auditorOnly = (c: Context<ConsoleEnv>) =>
    c.get('officer').role === 'auditor' ? null : errorPage(c, 'officer-role-required', 'Subject-level evidence needs the auditor role.');

  app.get('/console', (c) => c.redirect('/console/dashboard', 303));
  app.get('/console/assets/console.css', (c) => c.body(consoleCss, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/console/login', (c) => {
    const notice = c.req.query('expired') ? 'Your session has expired; sign in again.' : c.req.query('out') ? 'You have signed out.' : undefined;
    return render(c, <LoginPage notice={notice} />);
  });
  app.post('/console/login', async (c) => {
    // A login POST from another site (login CSRF) is refused.
    if (!sameOrigin(c)) return errorPage(c, 'officer-csrf-failed', 'Sign in from the console\'s own sign-in page.');
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const username = typeof form.username === 'string' ? form.username.slice(0, 128) : '';
    const password = typeof form.password === 'string' ? form.password.slice(0, 4096) : '';
    const r = await deps.sessions.signIn({ username, password, address: clientAddress(c), kind: 'console' });
    if (!r.ok) {
      const limited = r.code === 'officer-login-rate-limited';
      if (limited) c.header('retry-after', String(r.retryAfterSeconds));
      const notice = limited ? `Too many failed sign-ins. Try again in ${Math.ceil(r.retryAfterSeconds / 60)} minute(s).` : 'Wrong username or password.';
      return render(c, <LoginPage notice={notice} username={username} />, limited ? 429 : 401);
    }
    // A session the browser still holds (another sign-in on this browser) ends: one live console session per browser.
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) await deps.sessions.signOut(previous.slice(0, 200));
    setSessionCookie(c, r.token);
    return c.redirect('/console/dashboard', 303);
  });
  app.post('/console/logout', async (c) => {
    await deps.sessions.signOut(c.get('officerToken'));
    clearSessionCookie(c);
    return c.redirect('/console/login?out=1', 303);
  });

  app.get('/console/dashboard', async (c) => {
    const now = deps.now();
    const querySince = new Date(now.getTime() - QUERY_DAYS * 86_400_000);
    const [consents, queries, sharing, backlog, peers] = await Promise.all([
      consentsByState(deps.db, now), queriesByMerchant(deps.db, querySince), sharingByPeer(deps.db), reviewBacklog(deps.db), deps.peers?.status() ?? null,
    ]);
    return render(c, <DashboardPage ctx={ctxOf(c)} data={{ consents, queries, querySince, sharing, backlog, peers: peers?.filter((p) => p.memberId !== deps.memberId) ?? null }} />);
  });

  app.get('/console/reports/credit', async (c) => render(c, <ReportsPage ctx={ctxOf(c)} report={await creditReport(deps.db, deps.memberId, deps.now())} />));
  app.get('/console/reports/credit.csv', async (c) => {
    const table = c.req.query('table') ?? '';
    if (!(csvTables as readonly string[]).includes(table)) return errorPage(c, 'validation-failed', `table must be one of ${csvTables.join(', ')}`);
    const now = deps.now();
    const t = reportTable(await creditReport(deps.db, deps.memberId, now), table as (typeof csvTables)[number]);
    await deps.audit.record({ type: 'export.made', actor: `officer:${c.get('officer').username}`, detail: { export: `credit-report.${table}`, rows: t.rows.length } });
    const day = now.toISOString().slice(0, 10);
    return c.body(toCsv(t.header, t.rows), 200, { 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': `attachment; filename="credit-${table}-${day}.csv"` });
  });

  app.get('/console/subjects', (c) => auditorOnly(c) ?? render(c, <SubjectLookupPage ctx={ctxOf(c)} />));
  app.post('/console/subjects/lookup', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    if (!deps.subjects) return render(c, <SubjectLookupPage ctx={ctxOf(c)} notice="This node has not joined a consortium: there is no pseudonymization key yet." />, 409);
    const form = await c.req.parseBody();
    const raw = typeof form.id === 'string' ? form.id.slice(0, 64) : '';
    const p = deps.subjects.pseudonymOf(raw);
    if (!p.ok) return render(c, <SubjectLookupPage ctx={ctxOf(c)} notice="That is not a valid resident ID or mobile number." />, 422);
    return c.redirect(`/console/subjects/${encodeURIComponent(p.pseudonym.value)}`, 303);
  });
  const subjectReport = async (c: Context<ConsoleEnv>) => {
    const pseudonym = c.req.param('pseudonym') ?? '';
    if (!PSEUDONYM.test(pseudonym)) return { error: errorPage(c, 'validation-failed', 'A subject pseudonym is 43 base64url characters.') } as const;
    return { report: await deps.compliance.subjectReports.build({ value: pseudonym, kid: deps.pseudonymKid ?? 'unknown' }) } as const;
  };
  app.get('/console/subjects/:pseudonym', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    const r = await subjectReport(c);
    return 'error' in r ? r.error : render(c, <SubjectReportPage ctx={ctxOf(c)} report={r.report} />);
  });
  app.get('/console/subjects/:pseudonym/report.json', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    const r = await subjectReport(c);
    if ('error' in r) return r.error;
    await deps.audit.record({ type: 'export.made', actor: `officer:${c.get('officer').username}`, subject: r.report.subject.pseudonym, detail: { kind: 'subject-report', format: 'json' } });
    return c.json(r.report, 200, { 'content-disposition': `attachment; filename="subject-report-${r.report.generatedAt.slice(0, 10)}.json"` });
  });

  app.get('/console/consents', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    const q = c.req.query();
    const filters: ConsentFilters = {
      subject: (q.subject ?? '').slice(0, 43), purpose: (q.purpose ?? '').slice(0, 64), recipient: (q.recipient ?? '').slice(0, 128),
      state: ['given', 'withdrawn', 'expired'].includes(q.state ?? '') ? q.state! : '', from: (q.from ?? '').slice(0, 10), to: (q.to ?? '').slice(0, 10),
    };
    const day = (s: string, end: boolean) => (/^\d{4}-\d\d-\d\d$/.test(s) && !Number.isNaN(Date.parse(s)) ? new Date(Date.parse(s) + (end ? 86_400_000 - 1 : 0)) : null);
    const bad = (notice: string) => render(c, <ConsentSearchPage ctx={ctxOf(c)} filters={filters} items={[]} nextHref={null} notice={notice} />, 400);
    if (filters.subject && !PSEUDONYM.test(filters.subject)) return bad('The subject must be a pseudonym (43 characters); look raw identifiers up on the Subjects page.');
    if ((filters.from && !day(filters.from, false)) || (filters.to && !day(filters.to, true))) return bad('Dates are YYYY-MM-DD.');
    const from = filters.from ? day(filters.from, false) : null;
    const to = filters.to ? day(filters.to, true) : null;
    const cursor = (q.cursor ?? '').slice(0, 200);
    const r = await deps.compliance.receipts.search({
      limit: CONSENT_PAGE, ...(filters.subject ? { subject: filters.subject } : {}), ...(filters.purpose ? { purpose: filters.purpose } : {}),
      ...(filters.recipient ? { recipient: filters.recipient } : {}), ...(filters.state ? { state: filters.state as 'given' } : {}),
      ...(from ? { from } : {}), ...(to ? { to } : {}), ...(cursor ? { cursor } : {}),
    });
    if (!r.ok) return bad(r.message);
    const next = r.nextCursor ? `/console/consents?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), cursor: r.nextCursor })}` : null;
    return render(c, <ConsentSearchPage ctx={ctxOf(c)} filters={filters} items={r.items} nextHref={next} />);
  });
  app.get('/console/consents/:id', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    const id = c.req.param('id');
    const signed = /^cns_[A-Za-z0-9_-]{1,64}$/.test(id) ? await deps.compliance.receipts.receipt(id) : null;
    if (!signed) return errorPage(c, 'consent-not-found', 'No consent with that id.');
    return render(c, <ReceiptPage ctx={ctxOf(c)} signed={signed} />);
  });

  app.get('/console/decisions/:id', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    const id = c.req.param('id');
    const record = DECISION_ID.test(id) ? await deps.decisions.get(id) : null;
    if (!record) return errorPage(c, 'decision-not-found', 'No decision with that id.');
    return render(c, <DecisionPage ctx={ctxOf(c)} record={record} />);
  });
  app.get('/console/audit', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    const raw = c.req.query('from') ?? '0';
    if (!/^\d{1,15}$/.test(raw)) return errorPage(c, 'validation-failed', '"from" is an entry index (a whole number).');
    const from = Number(raw);
    const [entries, cp] = await Promise.all([deps.auditLog.entries(from, AUDIT_PAGE), deps.auditLog.latestCheckpoint()]);
    return render(c, <AuditListPage ctx={ctxOf(c)} entries={entries} from={from} pageSize={AUDIT_PAGE} size={cp?.size ?? null} checkpointAt={cp?.signedAt ?? null} />);
  });
  app.get('/console/audit/:index', async (c) => {
    const denied = auditorOnly(c);
    if (denied) return denied;
    const raw = c.req.param('index');
    const check = /^\d{1,15}$/.test(raw) ? await checkAuditEntry(deps.auditLog, Number(raw)) : null;
    if (!check) return errorPage(c, 'not-found', 'No audit entry with that index.');
    return render(c, <AuditEntryPage ctx={ctxOf(c)} check={check} origin={deps.auditLog.origin} verifierKey={deps.auditLog.verifierKey} />);
  });
  return app;
}
