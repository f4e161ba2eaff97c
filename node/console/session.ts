import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AuditSink, OfficerPrincipal } from '../compliance/contracts';
import { SESSION_COOKIE } from '../officers/access';
import type { OfficerSessions, ResolvedSession } from '../officers/sessions';
import { csrfTokenFor, csrfTokenMatches } from '../officers/tokens';
import { consoleCsp } from './assets';
import { errorPage } from './pages/error';

/** Hono env of console pages. */
export type ConsoleEnv = {
  Variables: { requestId: string; officer: OfficerPrincipal; officerSession: ResolvedSession; officerToken: string; csrf: string };
};

/** Console paths reachable without a session. */
const PUBLIC = new Set(['/console', '/console/login', '/console/assets/console.css']);
/** The only console POSTs: sign-out and the subject look-up (a search sent as POST so raw identifiers stay out of URLs). */
const ALLOWED_POSTS = new Set(['/console/logout', '/console/subjects/lookup']);

const isHttps = (c: Context) => c.req.url.startsWith('https:') || c.req.header('x-forwarded-proto') === 'https';

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over https, no Max-Age (ends with the browser). */
export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttps(c) });
}

/** Clears the session cookie. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}

/**
 * Security headers of every console response: strict CSP (no scripts at all), no caching, no framing, no MIME
 * sniffing (CSV and JSON exports are never run as HTML).
 */
export const consoleHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('content-security-policy', consoleCsp);
  c.header('cache-control', 'no-store');
  c.header('x-frame-options', 'DENY');
  c.header('x-content-type-options', 'nosniff');
};

/**
 * Console sessions and the read-only rule (issue 9 §5-6): pages need a live session cookie (otherwise a redirect
 * to sign-in); any method other than GET/HEAD is refused with 403 `officer-read-only` unless it is sign-out or the
 * subject look-up, and those need the session's CSRF token (403 `officer-csrf-failed`). Every access and every
 * denial is audited with the route template (never the query string).
 */
export function consoleSession(deps: { sessions: Pick<OfficerSessions, 'resolve'>; audit: AuditSink }): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (PUBLIC.has(c.req.path) || (c.req.path === '/console/login' && c.req.method === 'POST')) return next();
    const token = getCookie(c, SESSION_COOKIE);
    const r = token ? await deps.sessions.resolve(token.slice(0, 200)) : null;
    if (!r?.ok || !token) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(`/console/login${r?.ok === false && r.code === 'officer-session-expired' ? '?expired=1' : ''}`, 303);
      return errorPage(c, 'officer-session-invalid', 'Sign in first.');
    }
    c.set('officer', r.officer);
    c.set('officerSession', r);
    c.set('officerToken', token);
    c.set('csrf', csrfTokenFor(token));
    const audit = async (detail: Record<string, unknown> = {}) => {
      // Pages about one subject name it (by pseudonym), so the subject's audit trail shows which officer looked.
      const subject = /^[A-Za-z0-9_-]{43}$/.test(c.req.param('pseudonym') ?? '') ? c.req.param('pseudonym') : undefined;
      await deps.audit.record({
        type: c.res.status === 403 ? 'officer.denied' : 'officer.access',
        actor: `officer:${r.officer.username}`,
        ...(subject ? { subject } : {}),
        detail: { surface: 'console', method: c.req.method, route: c.req.routePath, status: c.res.status, sessionId: r.sessionId, ...detail },
      });
    };
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!ALLOWED_POSTS.has(c.req.path) || c.req.method !== 'POST') {
        c.res = errorPage(c, 'officer-read-only', 'The console is read-only: officers can read but not change business data.');
        await audit({ path: c.req.path.slice(0, 200), reason: 'read-only' });
        return c.res;
      }
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      if (!csrfTokenMatches(token, typeof form._csrf === 'string' ? form._csrf : null)) {
        c.res = errorPage(c, 'officer-csrf-failed', 'The form token is missing or wrong. Reload the page and try again.');
        await audit({ reason: 'csrf' });
        return c.res;
      }
    }
    await next();
    await audit();
  };
}
