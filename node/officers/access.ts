import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AuditSink, OfficerAccess, OfficerEnv, OfficerPrincipal } from '../compliance/contracts';
import { problem, sendProblem } from '../http/problem';
import type { OfficerSessions, ResolvedSession } from './sessions';

/** Name of the console session cookie (HttpOnly, SameSite=Strict, Secure over https). */
export const SESSION_COOKIE = 'cn_officer';

/** The officer credential a request carries: a `cso_` bearer token, else the console cookie, else null. */
export function officerCredential(c: Context): { token: string; via: 'bearer' | 'cookie' } | null {
  const m = /^Bearer (cso_[A-Za-z0-9_-]{1,128})$/.exec(c.req.header('authorization') ?? '');
  if (m) return { token: m[1]!, via: 'bearer' };
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie && !c.req.header('authorization')) return { token: cookie.slice(0, 200), via: 'cookie' };
  return null;
}

/** The client address of a request served by @hono/node-server, or `unknown` (e.g. `app.request()` in tests). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * False for a request a browser sent from another site: browsers send `Sec-Fetch-Site` (scripts cannot set it)
 * and `Origin` on cross-site POSTs; clients that send neither (curl, tests) are not browsers and pass.
 */
export function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = c.req.header('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === new URL(c.req.url).host;
  } catch {
    return false;
  }
}

/** Variables set on authenticated officer requests besides `officer`. */
export type OfficerSessionEnv = { Variables: OfficerEnv['Variables'] & { officerSession: ResolvedSession; officerToken: string } };

/** {@link OfficerAccess} whose `authenticate` also sets the session and its token (sign-out, CSRF). */
export interface OfficerSessionAccess {
  authenticate: MiddlewareHandler<OfficerSessionEnv>;
  requireRole: OfficerAccess['requireRole'];
}

/** Deps of {@link createOfficerAccess}. */
export interface OfficerAccessDeps {
  sessions: Pick<OfficerSessions, 'resolve'>;
  audit: AuditSink;
}

const actorOf = (o: OfficerPrincipal) => `officer:${o.username}`;

/**
 * `OfficerAccess` (node/compliance/contracts.ts): authenticates officer sessions (bearer or cookie) and audits
 * every access (`officer.access`: method, route template and status; never query strings, which may hold
 * search terms) and every denial (`officer.denied`). A request authenticated by the console cookie that is not
 * a GET/HEAD must come from the node's own origin (403 `officer-csrf-failed`, audited), besides SameSite=Strict.
 */
export function createOfficerAccess(deps: OfficerAccessDeps): OfficerSessionAccess {
  const authenticate: MiddlewareHandler<OfficerSessionEnv> = async (c, next) => {
    const cred = officerCredential(c);
    const r = cred ? await deps.sessions.resolve(cred.token) : ({ ok: false, code: 'officer-session-invalid' } as const);
    if (!r.ok || !cred) {
      const detail = r.ok ? undefined : r.code === 'officer-session-expired' ? 'the session has expired; sign in again' : 'sign in first: POST /compliance/v1/session, then send "Authorization: Bearer <token>"';
      return sendProblem(c, problem(r.ok ? 'officer-session-invalid' : r.code, detail), { 'www-authenticate': 'Bearer realm="compliance"' });
    }
    c.set('officer', r.officer);
    c.set('officerSession', r);
    c.set('officerToken', cred.token);
    if (cred.via === 'cookie' && c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameOrigin(c)) {
      c.res = sendProblem(c, problem('officer-csrf-failed', 'a cookie-authenticated change must come from this node\'s own pages; API clients send "Authorization: Bearer <token>"'));
    } else {
      await next();
    }
    await deps.audit.record({
      type: c.res.status === 403 ? 'officer.denied' : 'officer.access',
      actor: actorOf(r.officer),
      detail: { method: c.req.method, route: c.req.routePath, status: c.res.status, sessionId: r.sessionId },
    });
  };
  return {
    authenticate,
    requireRole(...roles) {
      return async (c, next) => {
        const officer = c.get('officer');
        if (!roles.includes(officer.role)) {
          return sendProblem(c, problem('officer-role-required', `this needs the role ${roles.join(' or ')}; you are ${officer.role}`));
        }
        await next();
      };
    },
  };
}

/**
 * Refuses officer credentials on the admin surface: a request to `/admin/v1/*` that carries a live officer
 * session (and no admin token) is answered 403 `officer-admin-forbidden` and audited as `officer.denied`.
 * Mount before the admin routes.
 */
export function officerAdminGuard(deps: OfficerAccessDeps): MiddlewareHandler {
  return async (c, next) => {
    const cred = officerCredential(c);
    if (!cred) return next();
    const r = await deps.sessions.resolve(cred.token);
    if (!r.ok) return next();
    await deps.audit.record({ type: 'officer.denied', actor: actorOf(r.officer), detail: { method: c.req.method, path: c.req.path.slice(0, 200), reason: 'admin-surface', sessionId: r.sessionId } });
    return sendProblem(c, problem('officer-admin-forbidden', 'officers cannot use the admin API; it needs the node\'s admin token'));
  };
}

/**
 * The same access as the contract's `OfficerAccess` (what C1's `/compliance/v1/` routes take). Safe: the
 * middleware sets every variable of `OfficerEnv` plus two more; hono's handler types are invariant in the env.
 */
export const asOfficerAccess = (a: OfficerSessionAccess): OfficerAccess => a as unknown as OfficerAccess;
