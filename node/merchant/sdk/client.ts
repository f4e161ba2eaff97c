/**
 * A partner merchant's client, as docs/api.md builds it from openapi.yaml alone: openapi-fetch typed by the
 * openapi-typescript `paths`, plus an OAuth2 client-credentials token cache that renews the access token a
 * minute before it expires. The demo, the e2e tests and the benchmark use this very client.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../../http/api-types';

/** Options of {@link createMerchantClient}. */
export interface MerchantClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for (default: all of the client's). */
  scope?: string;
  fetch?: typeof globalThis.fetch;
  /** Clock for token renewal (default `Date.now`). */
  nowMs?: () => number;
}

/** The typed API plus the token it authenticates with. */
export interface MerchantClient {
  api: Client<paths>;
  /** The current access token (fetched or renewed as needed). */
  accessToken(): Promise<string>;
}

/** Builds the client. Token endpoint errors (RFC 6749 section 5.2) are thrown with their `error` code. */
export function createMerchantClient(opts: MerchantClientOptions): MerchantClient {
  const nowMs = opts.nowMs ?? (() => Date.now());
  const plain = createClient<paths>({ baseUrl: opts.baseUrl, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  let cached: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const { data, error, response } = await plain.POST('/v1/oauth/token', {
      body: { grant_type: 'client_credentials', ...(opts.scope ? { scope: opts.scope } : {}) },
      bodySerializer: (b) => new URLSearchParams(b as Record<string, string>).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(opts.clientId)}:${encodeURIComponent(opts.clientSecret)}`).toString('base64')}` },
    });
    if (!data) throw new Error(`token request failed (${response.status}): ${JSON.stringify(error)}`);
    cached = { token: data.access_token, renewAt: nowMs() + Math.max(0, data.expires_in - 60) * 1000 };
    return data.access_token;
  }

  const accessToken = async () => {
    if (cached && nowMs() < cached.renewAt) return cached.token;
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  };

  const api = createClient<paths>({ baseUrl: opts.baseUrl, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const auth: Middleware = {
    async onRequest({ request, schemaPath }) {
      if (schemaPath === '/v1/oauth/token' || schemaPath === '/.well-known/jwks.json') return request;
      request.headers.set('authorization', `Bearer ${await accessToken()}`);
      return request;
    },
  };
  api.use(auth);
  return { api, accessToken };
}
