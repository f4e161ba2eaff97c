/**
 * Authentication of `/v1/` merchant requests (issue 8 §1, §5, §7): a bearer access token (RFC 6750 §2.1) that
 * verifies and belongs to a client that is not revoked, then the client's rate limit and daily quota, then
 * idempotency for POSTs. Failures answer problem+json with the RFC 6750 §3 `WWW-Authenticate` challenge.
 */
import type { MiddlewareHandler } from 'hono';
import { problem, sendProblem } from '../../http/problem';
import type { MerchantEnv, MerchantScope } from '../contracts';
import type { ClientService } from './clients/service';
import type { RateLimiter } from './limits/rate-limiter';
import type { AccessTokens } from './tokens/access-token';

const BEARER = /^Bearer ([A-Za-z0-9_.-]{1,8192})$/;

/** Dependencies of {@link bearerAuth}. */
export interface BearerAuthDeps {
  tokens: AccessTokens;
  clients: Pick<ClientService, 'active'>;
  limiter: RateLimiter;
  /** Runs after authentication and rate limiting (the idempotency middleware). */
  after?: MiddlewareHandler<MerchantEnv>;
}

/** Verifies the bearer token, applies the client's limits, sets `c.get('merchant')`. */
export function bearerAuth(deps: BearerAuthDeps): MiddlewareHandler<MerchantEnv> {
  return async (c, next) => {
    const m = BEARER.exec(c.req.header('authorization') ?? '');
    if (!m) {
      return sendProblem(c, problem('unauthorized', 'send an access token from POST /v1/oauth/token as "Authorization: Bearer <token>"'), { 'www-authenticate': 'Bearer realm="merchant"' });
    }
    const v = await deps.tokens.verify(m[1]!);
    const client = v.ok ? await deps.clients.active(v.clientId) : null;
    if (!v.ok || !client) {
      const message = v.ok ? 'the client of this access token is revoked or unknown' : v.message;
      return sendProblem(c, problem('invalid-token', message), { 'www-authenticate': `Bearer realm="merchant", error="invalid_token", error_description="${message.replace(/["\\]/g, '')}"` });
    }
    const rate = deps.limiter.take(client);
    if (!rate.ok) return sendProblem(c, problem(rate.code, rate.message), { 'retry-after': String(rate.retryAfterSeconds) });
    // Scopes are those of the token, narrowed to what the client still holds.
    c.set('merchant', { clientId: client.id, scopes: v.scopes.filter((s) => client.scopes.includes(s)) });
    return deps.after ? deps.after(c, next) : next();
  };
}

/** 403 `insufficient-scope` (RFC 6750 §3.1) unless the merchant holds `scope`. */
export function requireScope(scope: MerchantScope): MiddlewareHandler<MerchantEnv> {
  return async (c, next) => {
    if (!c.get('merchant')?.scopes.includes(scope)) {
      return sendProblem(c, problem('insufficient-scope', `this operation needs the scope ${scope}`, { requiredScope: scope }), {
        'www-authenticate': `Bearer realm="merchant", error="insufficient_scope", scope="${scope}"`,
      });
    }
    await next();
  };
}
