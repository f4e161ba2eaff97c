import { Hono } from 'hono';
import { z } from 'zod';
import type { AuditSink } from '../compliance/contracts';
import { adminAuth } from '../http/admin/auth';
import { readJson } from '../http/body';
import { problem, sendProblem, type ProblemCode } from '../http/problem';
import type { OfficerAccounts } from './accounts';
import { clientAddress, createOfficerAccess, officerAdminGuard, type OfficerSessionEnv } from './access';
import type { OfficerSessions } from './sessions';

const signInRequest = z.strictObject({ username: z.string().min(1).max(128), password: z.string().min(1).max(4096) });
const createRequest = z.strictObject({ username: z.string().min(1).max(128), role: z.string().min(1).max(32), password: z.string().min(1).max(4096) });

/** Deps of the officer routes. */
export interface OfficerRoutesDeps {
  accounts: OfficerAccounts;
  sessions: OfficerSessions;
  audit: AuditSink;
  adminToken: string;
}

/**
 * Officer sign-in for API use (`/compliance/v1/session`: POST signs in and returns a bearer session token,
 * GET shows the session, DELETE signs out) and account management for the member's admin
 * (`/admin/v1/officers`, admin token).
 */
export function officerRoutes(deps: OfficerRoutesDeps): Hono<OfficerSessionEnv> {
  const app = new Hono<OfficerSessionEnv>();
  const access = createOfficerAccess({ sessions: deps.sessions, audit: deps.audit });
  const fail = (c: Parameters<typeof sendProblem>[0], r: { code: string; detail?: string }) => sendProblem(c, problem(r.code as ProblemCode, r.detail));

  app.post('/compliance/v1/session', async (c) => {
    const body = await readJson(c, signInRequest);
    const r = await deps.sessions.signIn({ ...body, address: clientAddress(c), kind: 'api' });
    if (!r.ok) {
      if (r.code === 'officer-login-rate-limited') {
        return sendProblem(c, problem(r.code, `too many failed sign-ins; retry in ${r.retryAfterSeconds} s`), { 'retry-after': String(r.retryAfterSeconds) });
      }
      return sendProblem(c, problem(r.code, 'the username or the password is wrong'), { 'www-authenticate': 'Bearer realm="compliance"' });
    }
    c.header('cache-control', 'no-store');
    return c.json({ token: r.token, tokenType: 'Bearer', sessionId: r.sessionId, expiresAt: r.expiresAt.toISOString(), officer: r.officer }, 201);
  });
  app.get('/compliance/v1/session', access.authenticate, (c) => {
    const s = c.get('officerSession');
    return c.json({ sessionId: s.sessionId, expiresAt: s.expiresAt.toISOString(), officer: s.officer });
  });
  app.delete('/compliance/v1/session', access.authenticate, async (c) => {
    await deps.sessions.signOut(c.get('officerToken'));
    return c.body(null, 204);
  });

  app.use('/admin/v1/*', officerAdminGuard({ sessions: deps.sessions, audit: deps.audit }));
  app.use('/admin/v1/officers', adminAuth(deps.adminToken));
  app.use('/admin/v1/officers/*', adminAuth(deps.adminToken));
  app.get('/admin/v1/officers', async (c) => c.json({ officers: await deps.accounts.list() }));
  app.post('/admin/v1/officers', async (c) => {
    const r = await deps.accounts.create({ ...(await readJson(c, createRequest)), createdBy: 'admin' });
    return r.ok ? c.json(r.officer, 201) : fail(c, r);
  });
  app.post('/admin/v1/officers/:id/disable', async (c) => {
    const r = await deps.accounts.disable(c.req.param('id').slice(0, 128), 'admin');
    return r.ok ? c.json(r.officer) : fail(c, r);
  });
  return app;
}
