/**
 * `POST /v1/oauth/token`: the OAuth 2.0 client credentials grant (RFC 6749 §4.4) with client authentication by
 * HTTP Basic or by `client_id`/`client_secret` form fields (§2.3.1), and `GET /.well-known/jwks.json` (RFC 7517
 * §5): the keys that verify access tokens and consent tokens. Token errors use the RFC 6749 §5.2 JSON body.
 */
import { Hono, type Context } from 'hono';
import { problem, sendProblem } from '../../../http/problem';
import type { MerchantScope } from '../../contracts';
import type { ClientService } from '../clients/service';
import type { RateLimiter } from '../limits/rate-limiter';
import type { AccessTokens } from './access-token';
import type { SigningKeys } from './signing-keys';

/** RFC 6749 §5.2 error codes. */
type TokenError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

function tokenError(c: Context, error: TokenError, description: string, basic = false): Response {
  const status = error === 'invalid_client' ? 401 : 400;
  return c.json({ error, error_description: description }, status, { ...NO_STORE, ...(basic ? { 'www-authenticate': 'Basic realm="merchant"' } : {}) });
}

/** Parses `Authorization: Basic` client credentials (§2.3.1: both parts form-urlencoded). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | 'malformed' | null {
  if (!header) return null;
  const m = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(header);
  if (!m) return 'malformed';
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return 'malformed';
  try {
    return { id: decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' ')) };
  } catch {
    return 'malformed';
  }
}

/** Dependencies of {@link tokenRoutes}. */
export interface TokenRouteDeps {
  clients: Pick<ClientService, 'authenticate'>;
  tokens: AccessTokens;
  keys: SigningKeys;
  limiter: RateLimiter;
}

/** The token endpoint and the JWK Set. */
export function tokenRoutes(deps: TokenRouteDeps) {
  const app = new Hono();
  app.get('/.well-known/jwks.json', (c) => c.json(deps.keys.jwks(), 200, { 'cache-control': 'public, max-age=300' }));

  app.post('/v1/oauth/token', async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return tokenError(c, 'invalid_request', 'send the request as application/x-www-form-urlencoded (RFC 6749 section 4.4.2)');
    const form = new URLSearchParams(await c.req.text());
    for (const name of ['grant_type', 'scope', 'client_id', 'client_secret']) {
      if (form.getAll(name).length > 1) return tokenError(c, 'invalid_request', `the parameter ${name} appears more than once`);
    }
    const basic = basicCredentials(c.req.header('authorization'));
    if (basic === 'malformed') return tokenError(c, 'invalid_client', 'the Authorization header is not valid HTTP Basic client authentication', true);
    const formId = form.get('client_id');
    const formSecret = form.get('client_secret');
    if (basic && formSecret !== null) return tokenError(c, 'invalid_request', 'authenticate the client by one method only: HTTP Basic or client_secret, not both');
    const id = basic?.id ?? formId;
    const secret = basic?.secret ?? formSecret;
    if (!id || !secret) return tokenError(c, 'invalid_client', 'client authentication is required (HTTP Basic or client_id and client_secret)', true);
    if (basic && formId !== null && formId !== basic.id) return tokenError(c, 'invalid_request', 'client_id does not match the authenticated client');

    const grant = form.get('grant_type');
    if (grant === null) return tokenError(c, 'invalid_request', 'grant_type is required');
    const client = await deps.clients.authenticate(id.slice(0, 200), secret.slice(0, 200));
    if (!client) return tokenError(c, 'invalid_client', 'unknown client, wrong secret or revoked client', basic !== null);
    if (grant !== 'client_credentials') return tokenError(c, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');

    const rate = deps.limiter.take(client);
    if (!rate.ok) return sendProblem(c, problem(rate.code, rate.message), { 'retry-after': String(rate.retryAfterSeconds) });

    let scopes: MerchantScope[] = client.scopes;
    const requested = form.get('scope');
    if (requested !== null) {
      const names = requested.split(' ');
      if (names.some((s) => !SCOPE_TOKEN.test(s))) return tokenError(c, 'invalid_scope', 'scope must be a space-separated list of scope names');
      const unknown = names.filter((s) => !(client.scopes as string[]).includes(s));
      if (unknown.length > 0) return tokenError(c, 'invalid_scope', `the client is not allowed the scope(s): ${unknown.join(' ').slice(0, 200)}`);
      scopes = [...new Set(names)].sort() as MerchantScope[];
    }
    const t = await deps.tokens.issue(client.id, scopes);
    return c.json({ access_token: t.token, token_type: 'Bearer', expires_in: t.expiresIn, scope: t.scope }, 200, NO_STORE);
  });
  return app;
}
